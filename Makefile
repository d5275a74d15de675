# Two commands a user needs:  `make lab` (set up, open the course)  and  `make test`.
# Both set up the same way and do nothing again when nothing changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup data chromium lab test release run bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

data: setup
	@$(BIN)/mlsd data --preset default

lab: data
	$(BIN)/mlsd lab --ServerApp.port=$(PORT)

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

test: data chromium
	$(BIN)/python -m pytest

release: setup
	$(BIN)/mlsd release

run: data
	$(BIN)/mlsd run --preset default

bench: setup
	$(BIN)/python benchmarks/simulator.py
	$(BIN)/python benchmarks/suite.py
	$(BIN)/python benchmarks/grading.py

clean:
	rm -rf $(VENV) build grader/submitted grader/autograded grader/feedback grader/gradebook.db
