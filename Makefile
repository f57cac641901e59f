# kg: two commands for a fresh machine.
#   make demo   installs everything and builds the graph from seeds/, then prints what it found
#   make test   installs everything and runs the whole test suite (CI runs exactly this)

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
STORE  ?= .kg
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint typecheck neo4j neo4j-build browser-deps eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(KG) build seeds --store $(STORE)
	$(KG) claims --store $(STORE)
	$(KG) conflicts --store $(STORE)
	$(KG) flags --store $(STORE)
	@echo "HTML provenance report (open it in a browser):"
	@$(KG) report --store $(STORE) --format html --out reports | xargs realpath

# Debian chromium for the browser tests (never `playwright install`); root only.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "make: could not install chromium; browser tests will skip (or fail under CI=true)"; \
	  else echo "make: chromium missing and not root; browser tests will skip"; fi; \
	fi

neo4j-build: install
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
	  tools/neo4j-server/run.sh --build-only; \
	else echo "make: java or mvn missing; Neo4j tests will skip (or fail under CI=true)"; fi

# A development Neo4j 5.26 (Bolt bolt://127.0.0.1:7687, Browser http://127.0.0.1:7474/browser/).
NEO4J_ARGS ?= --port 7687 --http-port 7474 --data .neo4j-data
neo4j: neo4j-build
	tools/neo4j-server/run.sh $(NEO4J_ARGS)

test: install neo4j-build browser-deps
	$(VENV)/bin/ruff check kg tests benchmarks tools
	$(VENV)/bin/mypy kg tools
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check kg tests benchmarks tools
	$(VENV)/bin/mypy kg tools

# The seeds' checks plus the real dev sets kept outside the project (../shared/data or
# KG_EVAL_DATA): one table with the baselines, docs/evaluation.md; about 6 minutes on 2 cores.
eval: install
	$(PY) -m tools.kg_eval all $(EVAL_ARGS)

# About an hour on 2 cores: 1k and 10k articles (BENCH_ARGS="--sizes 200,1000" for minutes).
bench: install neo4j-build
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(STORE) reports .pytest_cache build *.egg-info
