# Two commands set up a fresh machine:  make run  and  make test  (see README.md).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 5000
# the public URL the dataset is served at: every IRI, link and download URL is made from it.
# Behind a proxy: make run BASE=https://data.example.org/ (and KG_PUBLIC_URL the same)
BASE    ?= http://$(HOST):$(PORT)/
OUT     ?= dist
BASE_STAMP := .base-$(shell printf '%s' '$(BASE)' | sha1sum | cut -c1-12)
SOURCES := $(shell find data kgbuild ontology shapes queries -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: run build validate serve test conformance bench integration chromium clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# setuptools' "Editable installation … be careful with folders" notice says nothing to act on
QUIET_PIP := PYTHONWARNINGS=ignore:::setuptools.command.editable_wheel $(BIN)/pip install -q

$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(QUIET_PIP) -e '.[test]'
	touch $@

# the YASGUI query editor, from the npm registry, served by kgserve itself; without npm the
# query page offers a plain form instead
YASGUI := server/static/yasgui/yasgui.min.js
$(YASGUI): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && mkdir -p server/static/yasgui && \
	  cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css server/static/yasgui/ ; \
	else echo "npm not found: /sparql will offer a plain query form instead of YASGUI"; fi

# Debian's chromium for the browser tests (Playwright drives it; no browser download)
chromium:
	@{ command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/opentype/noto ]; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "the browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk"; fi; }

# a build for another BASE is a new build (the stamp's name carries the base's hash)
$(BASE_STAMP):
	rm -f .base-*; touch $@

# the project's own bytecode written first: where Python may not write it (PYTHONDONTWRITEBYTECODE,
# as on CI), every build and server start would compile kgbuild's and server's sources again
# (0.25 s of CPU a process); a stale .pyc is only ever ignored (Python checks the source's time)
$(OUT)/manifest.json: $(VENV)/.stamp-install $(SOURCES) $(BASE_STAMP)
	$(BIN)/python -m compileall -q kgbuild server
	$(BIN)/kgbuild build data/articles --out $(OUT) --base '$(BASE)'$(if $(wildcard data/corrections),  --corrections data/corrections)


build: $(OUT)/manifest.json

validate: build
	$(BIN)/kgbuild validate $(OUT)/dataset.ttl

run: validate $(YASGUI)
	$(BIN)/kgserve --data $(OUT) --host $(HOST) --port $(PORT)

test: $(VENV)/.stamp-test $(YASGUI) chromium
	$(BIN)/python -m pytest -q

# W3C SPARQL 1.1 protocol + query-evaluation suites and DCAT-AP over HTTP (needs ../shared or KG_SHARED_DIR)
conformance: $(VENV)/.stamp-test
	$(BIN)/python conformance/run.py

# build, validation, server and SPARQL benchmarks at 100, 1,000 and 10,000 synthetic articles,
# with Virtuoso 7 (Debian's package, installed when missing) and pyoxigraph in-process side by
# side; prints a table of medians and writes bench/work/results.md (about 20 minutes)
SIZES ?= 100,1000,10000
bench: $(VENV)/.stamp-test
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || true
	$(BIN)/python bench/run.py --sizes $(SIZES)

# remote-store mode end to end: a real Virtuoso, `kgbuild publish --to` its Graph Store endpoint,
# and the end-to-end and browser tests against `kgserve --store` its SPARQL endpoint
VIRTUOSO_DIR  ?= .virtuoso
VIRTUOSO_HTTP ?= 18895
VIRTUOSO_SQL  ?= 11115
integration: $(VENV)/.stamp-test $(YASGUI) chromium
	$(BIN)/python bench/virtuoso.py stop $(VIRTUOSO_DIR); rm -rf $(VIRTUOSO_DIR)
	$(BIN)/python bench/virtuoso.py start $(VIRTUOSO_DIR) --http-port $(VIRTUOSO_HTTP) --sql-port $(VIRTUOSO_SQL) --memory-gb 0.5
	KG_TEST_STORE_GSP=http://127.0.0.1:$(VIRTUOSO_HTTP)/sparql-graph-crud-auth \
	KG_TEST_STORE_SPARQL=http://127.0.0.1:$(VIRTUOSO_HTTP)/sparql \
	KG_STORE_USER=dba KG_STORE_PASSWORD=dba KG_STORE_AUTH=digest \
	  $(BIN)/python -m pytest -q tests/test_e2e.py tests/test_site.py tests/test_sparql_safety.py tests/test_browser.py \
	    tests/test_remote.py; \
	  rc=$$?; $(BIN)/python bench/virtuoso.py stop $(VIRTUOSO_DIR); exit $$rc

clean:
	rm -rf $(OUT) .$(OUT).v* .$(OUT).lock .$(OUT)-cache .pytest_cache .hypothesis test-artefacts bench/work .virtuoso .base-*
