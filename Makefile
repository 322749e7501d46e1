# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench demo chromium postgresql nginx clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt requirements-spark.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Start the app on the bundled demo data (local mode: no login).
run: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

## Set up what the tests need (dev tools and pyspark, Debian's chromium, PostgreSQL and
## nginx; Java 17 for Spark is on the machines) and run every test.
test: $(VENV)/.dev chromium postgresql nginx
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

## Benchmarks (not part of `make test`; a 100-row smoke run of them is).
bench: $(VENV)/.dev
	$(PY) -m benchmarks

## Regenerate the committed demo workspace in data/demo/.
demo: $(VENV)/.runtime
	$(PY) data/generate_demo.py

## Browser tests drive Debian's chromium; install it when missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

## The warehouse tests start a throwaway PostgreSQL 15 from Debian's binaries
## (tests/unit/warehouse); install them when missing (they skip without).
postgresql:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
	  echo "Installing Debian's postgresql for the warehouse tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql-15 >/dev/null || \
	    echo "postgresql-15 not installed: the warehouse tests will skip"; \
	fi

## The replicas example (docs/examples/nginx-replicas.conf) is tested behind Debian's
## nginx (tests/unit/test_nginx_example.py); install it when missing (the test skips without).
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing Debian's nginx for the replicas example's test..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null 2>&1 || \
	  $$SUDO apt-get install -y -qq nginx >/dev/null 2>&1 || \
	    echo "nginx not installed: the replicas example's test will skip"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
