#!/usr/bin/env bash
# `make test`: a throwaway database with crm_industrial (and its demo story), the
# whole pytest suite against it (browser tours included), and a verdict that is
# red on any failure, any ERROR/CRITICAL in Odoo's log, no test run, or a skip.
# Extra arguments go to pytest, e.g. scripts/test.sh -k customer_file
source "$(dirname "$0")/lib.sh"

STAMP="$(date +%Y%m%d%H%M%S)_$$"
# CRMI_TEST_DB=name reuses (and updates) a database kept by an earlier CRMI_KEEP_DB=1 run.
DB="${CRMI_TEST_DB:-crmi_test_$STAMP}"
TEST_DIR="$LOCAL_DIR/test/$STAMP"
CONF="$TEST_DIR/odoo.conf"
mkdir -p "$TEST_DIR"

find_odoo
ensure_odoo_python
say "Checking the test tools (pytest-odoo, websocket-client, Chromium)"
pip_install -r "$REPO_DIR/requirements-test.txt" || die "Installing the test tools failed (see above)."
pip_install --no-deps -r "$REPO_DIR/requirements-oca.txt" || die "Installing the OCA addons failed (see above)."
command -v chromium >/dev/null || command -v google-chrome >/dev/null || apt_install chromium
# Printed reports in Chinese: wkhtmltopdf, a CJK font, and poppler's pdffonts/pdftotext to read them.
missing_print=()
command -v wkhtmltopdf >/dev/null || missing_print+=(wkhtmltopdf)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing_print+=(fonts-noto-cjk)
command -v pdffonts >/dev/null || missing_print+=(poppler-utils)
[ "${#missing_print[@]}" = 0 ] || apt_install "${missing_print[@]}"
ensure_postgres
ensure_db_role
# Tests start their own HTTP server on a random port and log to a file read afterwards.
write_odoo_config "$CONF" "db_name = $DB" "dbfilter = ^$DB\$" "max_cron_threads = 0"

cleanup() { [ -n "${CRMI_KEEP_DB:-}" ] || { drop_db "$DB"; drop_test_dbs "$DB"; }; }
drop_test_dbs() {  # databases the install tests made from this run's name
    local name
    for name in $(PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -d postgres -tAc \
            "SELECT datname FROM pg_database WHERE datname LIKE '${1}\_%'"); do drop_db "$name"; done
}
trap cleanup EXIT

start=$SECONDS
install_rc=0
if [ -n "${CRMI_TEST_DB:-}" ] && db_exists "$DB"; then
    say "Updating crm_industrial in the kept database $DB"
    CRMI_KEEP_DB=1
    odoo_bin -c "$CONF" -d "$DB" -u crm_industrial --stop-after-init --log-level=warn \
        --logfile "$TEST_DIR/install.log" || install_rc=$?
else
    say "Installing crm_industrial with demo data in the throwaway database $DB"
    odoo_bin -c "$CONF" -d "$DB" -i crm_industrial --stop-after-init --log-level=warn \
        --logfile "$TEST_DIR/install.log" || install_rc=$?
fi
say "Install took $((SECONDS - start)) s (exit $install_rc)"

if [ "$install_rc" != 0 ]; then
    "$PYTHON" "$REPO_DIR/scripts/verdict.py" --install-rc "$install_rc" \
        --junit "$TEST_DIR/junit.xml" --log "$TEST_DIR/install.log"
    exit 1
fi
bash "$REPO_DIR/scripts/suite.sh" "$CONF" "$DB" "$TEST_DIR" "$@"
