#!/usr/bin/env bash
# `make lint`: OCA's code checks on the addon (pylint-odoo with OCA's mandatory checks,
# oca-checks-odoo-module, oca-checks-po, ruff), from a virtual environment of their own.
# Needs no Odoo and no database.
source "$(dirname "$0")/lib.sh"

VENV="$LOCAL_DIR/lint-venv"
STAMP_WANTED="$(sha1sum < "$REPO_DIR/requirements-lint.txt" | cut -d' ' -f1)"
if [ "$(cat "$VENV/.crmi-lint" 2>/dev/null)" != "$STAMP_WANTED" ]; then
    say "Installing the code checkers into $VENV (once)"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "Creating a virtual environment failed: install Debian's python3-venv."
    PYTHON="$VENV/bin/python" pip_install -r "$REPO_DIR/requirements-lint.txt" || die "Installing the code checkers failed."
    echo "$STAMP_WANTED" > "$VENV/.crmi-lint"
fi

cd "$REPO_DIR"
rc=0
say "ruff"
"$VENV/bin/ruff" check --no-fix crm_industrial crm_industrial_stock tests tests_stock scripts bench || rc=1
say "pylint-odoo (OCA's mandatory checks)"
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory crm_industrial crm_industrial_stock || rc=1
say "oca-checks-odoo-module"
"$VENV/bin/oca-checks-odoo-module" crm_industrial/__manifest__.py crm_industrial_stock/__manifest__.py || rc=1
say "oca-checks-po"
"$VENV/bin/oca-checks-po" crm_industrial/i18n/*.po crm_industrial/i18n/*.pot crm_industrial_stock/i18n/*.po* || rc=1
[ "$rc" = 0 ] && say "Lint: clean" || say "Lint: problems found (above)"
exit "$rc"
