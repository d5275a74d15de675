# Two commands a user needs:  `make lab` (set up, open the course)  and  `make test`.
# Both set up the same way and do nothing again when nothing changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup data lab test release run bench clean

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

test: data
	$(BIN)/python -m pytest

release: setup
	$(BIN)/mlsd release

run: data
	$(BIN)/mlsd run --preset default

bench: setup
	$(BIN)/python benchmarks/simulator.py
	$(BIN)/python benchmarks/suite.py

clean:
	rm -rf $(VENV) build grader/submitted grader/autograded grader/feedback grader/gradebook.db
