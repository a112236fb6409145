# Monnaies en jeu — everyday commands (Linux and macOS; see README.md for Windows).
#
#   make serve   start the Voilà server for a session (creates .venv the first time)
#   make check   is this computer ready for a workshop? (installation, database, every page, network)
#   make guides  write the facilitator guides (facilitator_guides/) from the content data
#   make test    run the whole test suite on 2 cores
#   make lint    ruff check
#   make i18n    extract the French strings and update the English catalogue
#   make env     regenerate environment.yml and binder/environment.yml from pyproject.toml
#   make clean   remove caches and generated files (keeps .venv; `make distclean` removes it)
#
# Only Python 3.11+ is needed: every dependency is pinned in pyproject.toml and
# installed into .venv.

SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.monnaies-en-jeu-installed
LOCALE_DIR := monnaies_en_jeu/locale
DOMAIN := monnaies_en_jeu
POT := build/$(DOMAIN).pot
PO := $(LOCALE_DIR)/en/LC_MESSAGES/$(DOMAIN).po
PYTEST_ARGS ?=
LINT_ARGS ?=
SERVE_ARGS ?=

# First interpreter >= 3.11 found on PATH (override with `make PYTHON=/path/to/python3.12`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo "$$p"; break; }; done)

.PHONY: venv serve check guides test lint i18n env clean distclean

venv: $(STAMP)

# The stamp is newer than pyproject.toml once the pinned environment is installed,
# so `make venv` is instant until the pins change.
$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ] || ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		if [ -z "$(PYTHON)" ]; then \
			echo "Python 3.11 ou plus récent est introuvable : installez-le (python.org) puis relancez." >&2; \
			exit 1; \
		fi; \
		echo "Création de $(VENV) avec $(PYTHON)"; \
		rm -rf "$(VENV)"; \
		"$(PYTHON)" -m venv "$(VENV)"; \
	fi
	"$(PY)" -m pip install --quiet --disable-pip-version-check -e '.[test]'
	"$(PY)" -m monnaies_en_jeu.lab_locale
	@touch "$(STAMP)"

serve: venv
	"$(PY)" -m monnaies_en_jeu.serve $(SERVE_ARGS)

check: venv
	"$(PY)" -m monnaies_en_jeu.cli check

guides: venv
	"$(PY)" -m monnaies_en_jeu.cli guides

# Two passes: the tests that start dozens of processes on purpose (browsers, Voilà servers,
# 60 submitting processes) run one at a time after the others, so that none of them waits on a
# saturated machine. Both passes run and get PYTEST_ARGS (e.g. PYTEST_ARGS="-k joueur"); a pass
# that selects no test is not a failure, unless neither selects any.
test: venv
	@status=0; empty=0; \
	pass() { "$(PY)" -m pytest "$$@" tests/ $(PYTEST_ARGS); code=$$?; \
		if [ $$code -eq 5 ]; then empty=$$((empty + 1)); elif [ $$code -ne 0 ]; then status=$$code; fi; }; \
	pass -n 2 -m "not heavy"; \
	pass -m heavy; \
	if [ $$empty -eq 2 ]; then echo "Aucun test ne correspond à PYTEST_ARGS." >&2; status=5; fi; \
	exit $$status

lint: venv
	"$(PY)" -m ruff check $(LINT_ARGS) .

# Extract every string marked with _() or N_() in the package, then update the English
# catalogue (created if missing). New or changed strings must then be translated in
# $(PO) (and their "fuzzy" flag removed); tests/test_i18n.py fails until they are.
i18n: venv
	@mkdir -p build
	"$(VENV)/bin/pybabel" -q extract -F babel.cfg --no-default-keywords -k _ -k N_ \
		--add-comments=TRANSLATORS: --add-location=file --sort-by-file --no-wrap \
		--project="Monnaies en jeu" -o "$(POT)" monnaies_en_jeu
	"$(VENV)/bin/pybabel" -q update --init-missing --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date --no-wrap -i "$(POT)" \
		-d "$(LOCALE_DIR)" -D "$(DOMAIN)" -l en
	@"$(PY)" -c 'from babel.messages.pofile import read_po; \
	c = read_po(open("$(PO)", "rb")); \
	todo = [m.id for m in c if m.id and (not m.string or m.fuzzy)]; \
	print(f"{len(todo)} message(s) à traduire ou à relire dans $(PO)"); \
	[print("  -", t) for t in todo]'

env: venv
	"$(PY)" tools/sync_env.py

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
	rm -f share/jupyter/voila/templates/bokehlab/static/bokeh*.js
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)"
