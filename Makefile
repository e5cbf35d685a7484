# Everything starts from python3 and make: the first target run creates .venv.
# `make demo` installs only what the report needs; `make test` adds the test extras,
# `make bench` the benchmark extras.  Each install is redone when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet
SUM    := $(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: test test-slow lint bench demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo-$(SUM): pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.test-$(SUM): pyproject.toml | $(PY)
	$(PIP) install -e '.[test]'
	touch $@

$(VENV)/.bench-$(SUM): pyproject.toml | $(PY)
	$(PIP) install -e '.[bench]'
	touch $@

lint: $(VENV)/.test-$(SUM)
	$(PY) -m ruff check .
	$(PY) -m mypy

# The fast tier on two cores (every test not named in tests/slow.txt), with coverage of lines
# and branches (settings and the 90 % floor in pyproject's [tool.coverage.*]): a report per
# module (fully covered ones left out), then one line per package.  Below the floor pytest
# fails, and so does make test.
test: lint
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "not slow" --cov --cov-report=term
	@for p in uicore gametheory fund optimize uipolicy; do \
	    echo "coverage $$p: $$($(PY) -m coverage report --include="$$p/*" --format=total --fail-under=0) %"; \
	done

# The slow tier (tests/slow.txt): the heavy independent checks, without coverage.  CI runs it
# after make test; `make test test-slow` runs the whole suite.
test-slow: $(VENV)/.test-$(SUM)
	$(PY) -m pytest -q -n 2 -m slow

bench: $(VENV)/.bench-$(SUM)
	$(PY) -m pytest -q -s tests/benchmarks -p no:xdist --benchmark-columns=min,median,mean,rounds --override-ini="addopts="

# The closing line states how long the demo took, install included.
demo:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory $(VENV)/.demo-$(SUM) && \
	$(PY) -m uipolicy report --out out/ && \
	echo "demo done in $$(( $$(date +%s) - start )) s (install included): open out/report.html in a browser"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .benchmarks .coverage .coverage.* out
