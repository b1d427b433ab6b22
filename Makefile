# Everything here installs what it needs into .venv by itself.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: chat test lint lint-content clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# dynalite, the local DynamoDB API server the store tests run against (in memory).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## chat: hold a whole check-in by typing, on the embedded SQLite store
chat: $(STAMP)
	$(VENV)/bin/checkin chat

## test: the whole test suite, with lint and the content validator
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/checkin lint-content
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

lint-content: $(STAMP)
	$(VENV)/bin/checkin lint-content

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
