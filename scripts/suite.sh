#!/usr/bin/env bash
# The pytest stage of `make test` and its verdict, on a database where crm_industrial
# is installed: suite.sh CONF DB OUT_DIR [pytest args...]. Exit 0 only when green.
# Used by scripts/test.sh, and by tests/test_runner.py to prove that red runs are red.
set -uo pipefail
CONF="$1" DB="$2" OUT="$3"; shift 3
REPO_DIR="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT"
rm -f "$OUT/junit.xml" "$OUT/odoo.log"

cd "$REPO_DIR"
pytest_rc=0
"$PYTHON" -m pytest -p no:cacheprovider -ra \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    --odoo-extra="logfile=$OUT/odoo.log" --junitxml="$OUT/junit.xml" "$@" || pytest_rc=$?

"$PYTHON" "$REPO_DIR/scripts/verdict.py" --install-rc "${INSTALL_RC:-0}" --pytest-rc "$pytest_rc" \
    --junit "$OUT/junit.xml" --log "$OUT/install.log" --log "$OUT/odoo.log"
