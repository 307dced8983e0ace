# IRO Desktop: `make run` opens the app on a demo caseload, `make test` runs the tests headless.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB := .demo/caseload.db
DEMO_PASSPHRASE := demo caseload passphrase
export PYTHONPATH := $(CURDIR)

.PHONY: setup run demo test test-fast lint bench dist selftest clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	./scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

$(DEMO_DB): | $(STAMP)
	mkdir -p .demo
	IRO_DESKTOP_PASSPHRASE="$(DEMO_PASSPHRASE)" $(PY) -m iro_desktop demo --db $(DEMO_DB)

demo: $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	@echo "Demo caseload: $(DEMO_DB)  (passphrase: $(DEMO_PASSPHRASE))"
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && command -v xvfb-run >/dev/null; then \
	  echo "No screen here: running under Xvfb."; \
	  IRO_DESKTOP_PASSPHRASE="$(DEMO_PASSPHRASE)" xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m iro_desktop --db $(DEMO_DB); \
	else \
	  IRO_DESKTOP_PASSPHRASE="$(DEMO_PASSPHRASE)" $(PY) -m iro_desktop --db $(DEMO_DB); \
	fi

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:cacheprovider --cov=iro_desktop --cov-report=term:skip-covered -q

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -x -m "not slow"

lint: $(STAMP)
	$(PY) -m ruff check iro_desktop tests

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

# The [build] extra (PyInstaller), installed editable so the shared checkout stays the code in use.
dist: $(STAMP)
	$(PY) -m pip install -q -e ".[build]"
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/iro-desktop

# The frozen build's own smoke test (no Python needed): main window offscreen on a temporary
# demo caseload, one letter, migrations, resources.
selftest: dist
	cd /tmp && env -u PYTHONPATH QT_QPA_PLATFORM=offscreen $(CURDIR)/dist/iro-desktop/iro-desktop --self-test

clean:
	rm -rf $(VENV) .demo build dist .pytest_cache
