# Everything starts from python3 and make: the first target run creates .venv.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: test lint bench demo clean

$(STAMP): pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -q -n 2

bench: $(STAMP)
	$(PY) -m pytest -q -s tests/benchmarks -p no:xdist --benchmark-columns=min,median,mean,rounds --override-ini="addopts="

demo: $(STAMP)
	$(PY) -m uipolicy report --out out/
	@echo "open out/report.html in a browser"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .benchmarks out
