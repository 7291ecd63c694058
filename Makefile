# Two commands set up a fresh machine:  make run  and  make test  (see README.md).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 5000
OUT     ?= dist
SOURCES := $(shell find data kgbuild ontology shapes queries -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: run build validate serve test conformance bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(OUT)/manifest.json: $(VENV)/.stamp-install $(SOURCES)
	$(BIN)/kgbuild build data/articles --out $(OUT)

build: $(OUT)/manifest.json

validate: build
	$(BIN)/kgbuild validate $(OUT)/dataset.ttl

run: validate
	$(BIN)/kgserve --data $(OUT) --host $(HOST) --port $(PORT)

test: $(VENV)/.stamp-test
	$(BIN)/python -m pytest -q

# W3C SPARQL 1.1 protocol + query-evaluation suites and DCAT-AP over HTTP (needs ../shared or KG_SHARED_DIR)
conformance: $(VENV)/.stamp-test
	$(BIN)/python conformance/run.py

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis test-artefacts
