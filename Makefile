# Clinic Portal: everything a developer or CI runs. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run run-empty test test-python test-served lint typecheck unit api http e2e web web-test api-types api-types-check bench install clean
.PHONY: infra synth deploy import-patients

## run: install, start local AWS (moto) with a seeded demo clinic, serve the portal on http://localhost:8000
run: install web
	$(BIN)/python -m chalicelib.local

## run-empty: the same with no demo seed, as a clinic's stack is just after deployment (README "Go live")
run-empty: install web
	$(BIN)/python -m chalicelib.local --empty

## test: everything CI checks, in two lanes at once (two cores): the in-process Python suites in one,
## the web, the stack and the suites that drive a local server and a browser in the other
test: install web
	$(MAKE) --no-print-directory -j2 --output-sync=target test-python test-served

test-python:
	$(MAKE) --no-print-directory lint typecheck api-types-check unit api

test-served:
	$(MAKE) --no-print-directory web-test infra http e2e

install: $(STAMPS)/python $(STAMPS)/node

$(STAMPS)/python: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

web: $(STAMPS)/node
	cd web && npm run --silent build

## lint: ruff, and the import contracts of .importlinter (the layers ARCHITECTURE.md describes)
lint: $(STAMPS)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMPS)/python
	$(BIN)/mypy .

unit: $(STAMPS)/python
	$(BIN)/pytest tests/unit

api: $(STAMPS)/python
	$(BIN)/pytest tests/api

## http: the local server over HTTP: concurrency races, hostile input, AWS faults, PHI kept out of logs
http: $(STAMPS)/python
	$(BIN)/pytest tests/http

web-test: $(STAMPS)/node
	cd web && npm run --silent typecheck && npm test --silent

e2e: $(STAMPS)/python web
	$(BIN)/pytest tests/e2e

## api-types: regenerate the web app's API types (web/src/shared/api/schema.d.ts) from the API's OpenAPI document
API_TYPES := web/src/shared/api/schema.d.ts
OPENAPI_TS := web/node_modules/.bin/openapi-typescript
api-types: $(STAMPS)/python $(STAMPS)/node
	$(BIN)/python web/scripts/dump-openapi.py > web/openapi.json
	$(OPENAPI_TS) web/openapi.json --output $(API_TYPES)

## api-types-check: fail when the committed web API types no longer match the API
api-types-check: $(STAMPS)/python $(STAMPS)/node
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python web/scripts/dump-openapi.py > "$$tmp/openapi.json" && \
	$(OPENAPI_TS) "$$tmp/openapi.json" --output "$$tmp/schema.d.ts" > /dev/null && \
	if ! cmp -s "$$tmp/schema.d.ts" $(API_TYPES); then \
	  diff -u $(API_TYPES) "$$tmp/schema.d.ts" | head -40; \
	  echo "web API types are stale: run make api-types" >&2; exit 1; \
	fi

# --- infrastructure: one CDK stack per clinic, driven by clinics/$(CLINIC).json (README "Deploy for your clinic")
CLINIC ?= demo
CDK ?= npx --yes aws-cdk@2.1148.1

## infra: synthesize two clinics' stacks; assertions, cdk-nag (AWS Solutions + HIPAA), cfn-lint, package budget
infra: $(STAMPS)/python
	$(BIN)/pytest tests/infra

## synth: validate clinics/$(CLINIC).json, build the SPA, synthesize its stack into cdk.out/$(CLINIC) (PyPI once, for the Lambda layer)
synth: $(STAMPS)/python
	$(BIN)/python -m infrastructure check --clinic clinics/$(CLINIC).json
	$(MAKE) --no-print-directory web
	$(BIN)/python -m infrastructure synth --clinic clinics/$(CLINIC).json --out cdk.out/$(CLINIC)

## deploy: synth, then `cdk deploy` that assembly into the AWS account of your current credentials
deploy: synth
	$(CDK) deploy --app cdk.out/$(CLINIC) --all --require-approval broadening

## import-patients: FILE=patients.csv (or a FHIR Bundle .json): a dry run; APPLY=1 imports, INVITE=1 also emails
## invitations. Into `make run`'s local portal; DEPLOYED=1 into the stack clinic-portal-$(CLINIC) (your AWS credentials)
import-patients: $(STAMPS)/python
	@test -n "$(FILE)" || { echo "usage: make import-patients FILE=patients.csv [APPLY=1] [INVITE=1] [CLINIC=demo] [DEPLOYED=1]" >&2; exit 2; }
	$(BIN)/python -m chalicelib.enrolment.cli "$(FILE)" --clinic clinics/$(CLINIC).json \
		$(if $(APPLY),--apply) $(if $(INVITE),--invite) $(if $(DEPLOYED),--stack clinic-portal-$(CLINIC)) \
		$(if $(OPERATOR),--operator "$(OPERATOR)")

## bench: one table, also in bench/last-run.md: cold start, handler overhead, DynamoDB work per route, first-load JS
bench: $(STAMPS)/python $(STAMPS)/node
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STAMPS) web/node_modules web/dist .pytest_cache .mypy_cache .ruff_cache
	rm -rf cdk.out chalice.out
