# Two commands a user needs:  `make lab` (set up, open the course)  and  `make test`.
# Both set up the same way and do nothing again when nothing changed.
#
# The environment comes from the lock files in requirements/ (every package, pinned, with
# hashes), so every learner gets the same versions: lab.txt for the course, test.txt adds the
# test suite's tools. `make lock` regenerates both from pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
UV     := uv==0.13.8
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup setup-test data chromium lab instructor-lab test test-latest release run bench lock clean \
	clean-gradebook

setup: $(VENV)/.lab

setup-test: $(VENV)/.test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

# The course's own package goes in last, without dependencies: the lock already holds them.
$(VENV)/.lab: requirements/lab.txt pyproject.toml | $(BIN)/python
	$(PIP) --require-hashes -r requirements/lab.txt
	$(PIP) --no-deps -e .
	@touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.lab
	$(PIP) --require-hashes -r requirements/test.txt
	@touch $@

data: setup
	@$(BIN)/mlsd data --preset default $(if $(LEARNER),--learner '$(LEARNER)')

# Learners see notebooks/ only; instructors and maintainers get the whole repository
# (solutions/, Formgrader's manual grading).
# `make lab LEARNER=<your id>`: a click log of your own, the one your instructor grades you on
lab: data
	$(BIN)/mlsd lab $(if $(LEARNER),--learner '$(LEARNER)') --ServerApp.port=$(PORT)

instructor-lab: data
	$(BIN)/mlsd lab --instructor --ServerApp.port=$(PORT)

# The browser test (tests/test_browser.py) drives Debian's Chromium; Playwright never downloads
# a browser here. Installed with apt-get when missing and we are root; otherwise the test
# skips (and fails under CI, where this step should have installed it).
chromium:
	@if command -v chromium >/dev/null 2>&1 && test -d /usr/share/fonts/truetype/noto; then \
		echo "chromium: using $$(command -v chromium)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "chromium: installing Debian's chromium and an emoji font for the browser test (apt-get)"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null && \
		echo "chromium: installed $$(command -v chromium)"; \
	else \
		echo "chromium: not found and not installable here (needs apt-get as root);" \
			"the browser test will be skipped"; \
	fi

# The suite generates the small click log it reads (tiny) by itself.
test: setup-test chromium
	$(BIN)/python -m pytest

# The newest releases the pins allow (everything not pinned in pyproject.toml floats), in an
# environment of its own: the weekly CI job runs it so a breaking release shows before
# learners meet it.
test-latest: chromium
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet -e '.[test]'
	PATH="$(CURDIR)/.venv-latest/bin:$$PATH" .venv-latest/bin/python -m pytest

release: setup
	$(BIN)/mlsd release

run: data
	$(BIN)/mlsd run --preset default

bench: setup-test
	$(BIN)/python benchmarks/simulator.py
	$(BIN)/python benchmarks/suite.py
	$(BIN)/python benchmarks/grading.py

# Refresh the locks after changing a pin in pyproject.toml: one resolution for every platform
# and Python the course supports (uv's universal mode), with the hashes pip checks.
lock: | $(BIN)/python
	$(PIP) $(UV)
	$(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 \
		--quiet --custom-compile-command "make lock" -o requirements/lab.txt
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --generate-hashes \
		--python-version 3.11 --quiet --custom-compile-command "make lock" -o requirements/test.txt

# What the build made. An instructor's gradebook, grades and the class's submissions are
# never removed here: see clean-gradebook.
clean:
	rm -rf $(VENV) .venv-latest build .pytest_cache

# Deletes a class's grading for good: submissions, autograded notebooks, feedback, the
# gradebook with every manual grade and comment, and the grades CSV.
clean-gradebook:
	@if [ "$(CONFIRM)" != "yes" ]; then \
		echo "This deletes grader/gradebook.db (every manual grade and comment), the grades," \
			"the submissions and the feedback. Run: make clean-gradebook CONFIRM=yes"; \
		exit 1; \
	fi
	rm -rf grader/submitted grader/autograded grader/feedback grader/gradebook.db \
		grader/grades.csv grader/grading.json
