# study-tracker: every target sets up the virtual environment first (idempotent).
PYTHON ?= python3
VENV   ?= .venv
# TORCH_INDEX: where torch comes from when the venv has none (default: pip's own index; on Linux
# PyPI's build bundles CUDA, several GB: https://download.pytorch.org/whl/cpu takes the CPU one)
TORCH_INDEX ?=
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint typecheck format snapshots setup clean

## setup: create .venv; put torch 2.13.0 in first when the venv has no torch, then the package
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c "import torch" 2>/dev/null || { \
	  echo "setup: installing torch 2.13.0 and numpy into $(VENV) from $(or $(TORCH_INDEX),pip's index)"; \
	  $(BIN)/pip install --quiet "torch==2.13.0" $(if $(TORCH_INDEX),--index-url "$(TORCH_INDEX)") \
	  && $(BIN)/pip install --quiet numpy; }
	@echo "setup: installing study-tracker and its dev tools into $(VENV)"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## run: open the app on the bundled curriculum
run: setup
	$(BIN)/study --curriculum . $(ARGS)

## test: every test (unit, runner with real torch, UI under Pilot, snapshots)
test: setup
	$(BIN)/python -m pytest -q

## snapshots: re-record the snapshot SVGs (review the diffs before committing)
snapshots: setup
	$(BIN)/python -m pytest -q tests/snapshots --snapshot-update

## bench: print each benchmark as a ratio against its baseline, measured in the same run; all run,
## then it exits 1 naming those over budget
bench: setup
	@failed=""; for b in benchmarks/bench_*.py; do $(BIN)/python $$b || failed="$$failed $$b"; done; \
	  if [ -n "$$failed" ]; then echo "over budget (or failed):$$failed"; exit 1; fi

## lint: ruff lint and format check, then mypy (CI runs this)
lint: setup
	$(BIN)/ruff check tracker tests benchmarks
	$(BIN)/ruff format --check tracker tests benchmarks
	$(BIN)/mypy

## typecheck: mypy alone (pyproject's [tool.mypy]: strict for domain, content, store, quiz, runner)
typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format tracker tests benchmarks
	$(BIN)/ruff check --fix tracker tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
