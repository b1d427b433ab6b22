# Everything here installs what it needs into .venv by itself.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: chat test bench fuzz lint lint-content clean build-CheckInFunction lambda-dependencies \
	lambda-python lambda-bytecode check-template lambda-check espeak-ng

$(STAMP): pyproject.toml bench/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -r bench/requirements.txt
	touch $(STAMP)

# dynalite, the local DynamoDB API server the store tests run against (in memory).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## chat: hold a whole check-in by typing, on the embedded SQLite store
chat: $(STAMP)
	$(VENV)/bin/checkin chat

# espeak-ng (a Debian package) speaks every line in tests: the spoken durations and the
# read-aloud check. Installed when missing; where it cannot be (no root, no apt-get), those
# tests skip and say why.
espeak-ng:
	@command -v espeak-ng >/dev/null 2>&1 || { \
		command -v apt-get >/dev/null 2>&1 && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends espeak-ng \
		>/dev/null; \
	} || echo "WARNING: could not install espeak-ng (Debian package: needs root and apt-get);" \
		"tests/test_spoken_durations.py and tests/test_read_aloud.py will skip" >&2

## test: the whole test suite: lint, content validator, pytest, template checks, Lambda build
test: $(STAMP) $(NODE_STAMP) espeak-ng
	$(PY) -m ruff check .
	$(VENV)/bin/checkin lint-content
	$(MAKE) --no-print-directory check-template lambda-check
	$(PY) -m pytest -q

## bench: the benchmark table (ratios against an SDK-sample baseline, same run, same machine)
bench: $(STAMP) $(NODE_STAMP)
	$(PY) -m bench.run
	$(PY) -m skill.audio.bench  # the offline voice's render time per audio minute
	$(PY) -m bench.audio_turn  # the warm turn for the audio player's reports (PlaybackStopped/Started)
	$(PY) -m bench.meditation_writes  # DynamoDB requests per meditation, dynalite (exit 1 if a Started/Stopped writes twice)
	$(PY) -m bench.item_size --json  # the question deck after 500 check-ins (issue 13)

## fuzz: the request fuzzing with ten times the examples of the test suite
fuzz: $(STAMP) $(NODE_STAMP)
	FUZZ_EXAMPLES=20000 $(PY) -m pytest -q tests/test_fuzz_requests.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

lint-content: $(STAMP)
	$(VENV)/bin/checkin lint-content

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# --- AWS Lambda -------------------------------------------------------------------------
# `sam build` runs this target (template.yaml: BuildMethod makefile). It needs make, a Python 3
# with pip, and the runtime's Python 3.12 on PATH (or LAMBDA_PYTHON=/path/to/python3.12); the
# wheels it fetches are the ones for the Lambda runtime (Python 3.12 on arm64), whatever Python
# runs pip. boto3 comes with the Lambda runtime. skill/interaction_models is a symbolic link
# (to interaction_models/): tar -h copies the files it points to.
ARTIFACTS_DIR ?= build/lambda
LAMBDA_REQUIREMENTS ?= lambda/requirements.txt
# The Lambda runtime's Python: the artifact's bytecode must be compiled by the same version.
LAMBDA_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12 \
	/usr/bin/python3.12 /usr/local/bin/python3.12) python3.12)

CONTENT_SNAPSHOT = $(ARTIFACTS_DIR)/skill/content/validated.json

build-CheckInFunction: lambda-python
	rm -rf "$(ARTIFACTS_DIR)/skill"
	mkdir -p "$(ARTIFACTS_DIR)"
	cp lambda/lambda_function.py "$(ARTIFACTS_DIR)/"
	tar -C . -h --exclude='__pycache__' -cf - skill | tar -C "$(ARTIFACTS_DIR)" -xf -
	@# The content, checked now (bad content fails the build) and saved as parsed data, so a
	@# cold start does not parse and check the TOML files again (skill/content/loader.py).
	$(LAMBDA_PYTHON) -I -S -B -c 'import sys; sys.path.insert(0, sys.argv[1]); \
		from skill.content.loader import snapshot; print(snapshot())' "$(ARTIFACTS_DIR)" \
		> "$(CONTENT_SNAPSHOT).tmp"
	mv "$(CONTENT_SNAPSHOT).tmp" "$(CONTENT_SNAPSHOT)"
	$(MAKE) --no-print-directory lambda-dependencies lambda-bytecode

## lambda-dependencies: LAMBDA_REQUIREMENTS into ARTIFACTS_DIR, as wheels for the runtime
lambda-dependencies:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-compile \
		--target "$(ARTIFACTS_DIR)" \
		--platform manylinux2014_aarch64 --implementation cp --python-version 3.12 \
		--only-binary=:all: -r "$(LAMBDA_REQUIREMENTS)"

lambda-python:
	@$(LAMBDA_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || { \
		echo "ERROR: the Lambda runtime's Python 3.12 was not found (LAMBDA_PYTHON=$(LAMBDA_PYTHON))." >&2; \
		echo "ERROR: without it the artifact would ship no bytecode and every cold start would" >&2; \
		echo "ERROR: compile every module. Install python3.12 or set LAMBDA_PYTHON." >&2; \
		exit 1; }

## lambda-bytecode: compile ARTIFACTS_DIR with Python 3.12, so a cold start compiles nothing.
# Lambda's file system is read-only: without bytecode every cold start compiles every module
# it imports (and ask-sdk-model's docstrings print SyntaxWarnings while compiling). The
# unchecked-hash .pyc files are used as they are, whatever the files' times become in the zip.
lambda-bytecode: lambda-python
	$(LAMBDA_PYTHON) -W ignore -m compileall -q -j0 --invalidation-mode unchecked-hash \
		"$(ARTIFACTS_DIR)"

# The SAM CLI pins many packages of its own, so it gets a virtualenv of its own, outside the
# source tree (sam build copies the tree).
SAM_VENV ?= $(HOME)/.cache/our-checkin/sam-venv
SAM_STAMP := $(SAM_VENV)/.installed
SAM := SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(SAM_VENV)/bin/sam

$(SAM_STAMP):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet 'aws-sam-cli>=1.120,<2'
	touch $(SAM_STAMP)

## check-template: cfn-lint and sam validate --lint, offline, no AWS credentials needed
check-template: $(STAMP) $(SAM_STAMP)
	$(VENV)/bin/cfn-lint template.yaml
	$(SAM) validate --lint --template template.yaml

## lambda-check: sam build without a container; run as Lambda runs it (python3.12 -I -S, no
## bytecode writes), the artifact imports, compiles nothing, warns nothing, answers a launch
lambda-check: $(SAM_STAMP)
	$(SAM) build --build-in-source --template template.yaml
	$(LAMBDA_PYTHON) -I -S -B lambda/check_artifact.py .aws-sam/build/CheckInFunction
