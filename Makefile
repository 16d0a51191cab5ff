# Two commands for a fresh machine: `make demo` and `make test`.
# Both create .venv and install the locked dependencies first (once; redone when the lock changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-spark lint format setup browser java lock clean

demo: $(STAMP)
	$(BIN)/reckon demo

test: lint browser
	$(BIN)/python -m pytest -m "not spark"

# The Spark tests start a standalone cluster (a master and two workers on 127.0.0.1) and link
# the demo case on it: several minutes each on two cores, so they run apart from `make test`.
test-spark: $(STAMP) java
	$(BIN)/python -m pytest -m spark

# Format, lint and type checks (the tools are in the locked test extra).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

# Rewrite the code in the project's format and apply the safe lint fixes.
format: $(STAMP)
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The report's browser test needs Debian's Chromium; install it where missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser test will be skipped"; \
	  else echo "chromium not found (and not root): the browser test will be skipped"; fi; }

# The Spark tests (pytest -m spark) need a Java runtime; install Debian's where missing and we may.
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's openjdk-17-jre-headless for the Spark tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) \
	      || echo "Java could not be installed: the Spark tests will be skipped"; \
	  else echo "java not found (and not root): the Spark tests will be skipped"; fi; }

# Re-resolve the lock file from pyproject.toml (needs network to the package index).
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra test --python-version 3.11 \
	  --generate-hashes --output-file requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
