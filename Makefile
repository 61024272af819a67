# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests (tests/browser) drive Debian's Chromium; Playwright's own browser download is never used.
BAESANG_CHROMIUM ?= /usr/bin/chromium
export BAESANG_CHROMIUM
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install run test lint audit browser screens clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/baesang migrate --noinput
	$(BIN)/baesang demo load
	$(BIN)/baesang serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check baesang tests bench
	$(BIN)/lint-imports

# Known vulnerabilities of the installed dependencies (pip-audit, advisories from PyPI). Not part
# of `make test`: it needs PyPI's per-release JSON API (or OSV), which not every network offers.
# --strict makes it fail when a package could not be looked up, instead of reporting "no known
# vulnerabilities" for packages it never checked; baesang itself (editable) is skipped.
audit: install
	$(BIN)/python -m pip install --quiet -e '.[audit]'
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

# Chromium and a Korean font for tests/browser, from Debian's packages when missing (as root with apt).
# Otherwise the browser tests fail, repeating this message.
browser:
	@if [ -x $(BAESANG_CHROMIUM) ] && fc-list :lang=ko 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium and a Korean font for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-cjk fontconfig >/dev/null || exit 1; \
	else \
		echo "The browser tests need $(BAESANG_CHROMIUM) and a Korean font: run as root 'apt-get install chromium fonts-noto-cjk'."; \
	fi

test: install lint browser
	$(BIN)/pytest $(PYTEST_ARGS)

# Capture the main screens again into docs/screens/ (docs/screens/README.md).
screens: install browser
	BAESANG_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_browser_screens.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
