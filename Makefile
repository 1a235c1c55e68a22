# Two commands do everything on a fresh clone:
#   make run   — install, then run the pipeline once on the embedded default (bundled sample feeds)
#   make test  — install with test extras, then run the test suite (starts its own servers)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test serve clean

# pip -qq: errors only (a machine's pip configuration can print a warning per package and bury the run).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -qq -e .

install-test: $(BIN)/python
	$(BIN)/pip install -qq -e '.[test]'
	@# The web page is tested in a real headless browser: Debian's chromium (never `playwright install`).
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/rasid run --once

serve: install
	$(BIN)/rasid run

test: install-test
	$(BIN)/python -m pytest -q

clean:
	-$(BIN)/rasid down
	rm -rf var
