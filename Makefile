# Convergence — the two commands of the README are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
NODE_DIR := .cache/node
AXE := $(NODE_DIR)/node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install translations translations-extract translations-update translations-compile \
        assets db demo test-postgres test-browser browser-deps bench clean

run: install assets translations-compile db demo ## set up and serve the French demo on http://127.0.0.1:5000
	@CONVERGENCE_STYLEGUIDE=$${CONVERGENCE_STYLEGUIDE:-1} $(BIN)/convergence serve --host $(HOST) --port $(PORT)

# With TEST_DATABASE_URL (PostgreSQL) the suite runs on it, then again on SQLite;
# without it, on SQLite only, and PostgreSQL-only tests skip with a message.
test: install assets translations-compile ## the whole suite
	$(PY) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "--- the same suite on the embedded database (SQLite)"; \
	  TEST_FORCE_SQLITE=1 $(PY) -m pytest -m "not postgres and not server and not browser"; \
	fi

install: $(STAMP)
# The example plug-in too (installed, not enabled): its own tests run in `make test`.
$(STAMP): pyproject.toml tests/example_plugin/pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 est nécessaire ($(PYTHON) est introuvable)."; exit 1; }
	@echo "Installation de Convergence dans $(VENV) (quelques minutes la première fois)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e ".[test]"
	@$(PY) -m pip install --quiet --no-deps -e tests/example_plugin
	@touch $(STAMP)

# The typeface and the icon sprite, copied from their Python packages (convergence/assets.py).
assets: install
	$(PY) -m convergence.assets

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project=convergence -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(PY) translations/fill_english.py
	$(PY) translations/french_typography.py

translations-compile: install
	@$(BIN)/pybabel --quiet compile -d translations
	@echo "Traductions compilées (français, anglais)."

db: install
	@$(BIN)/convergence db-upgrade

demo: db
	@$(BIN)/convergence load-demo

browser-deps: ## Debian Chromium and axe-core from the npm registry
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test -f $(AXE) || npm install --silent --no-audit --no-fund --prefix $(NODE_DIR) axe-core@4

test-postgres: install assets translations-compile
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1/convergence_test} $(PY) -m pytest -m "not browser"

test-browser: install assets translations-compile browser-deps
	$(PY) -m pytest tests/browser

bench: install assets translations-compile
	$(PY) bench/live_listeners.py

clean:
	rm -rf $(VENV) instance .cache
