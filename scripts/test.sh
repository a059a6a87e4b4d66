#!/usr/bin/env bash
# `make test`: a throwaway database with crm_industrial (and its demo story), the
# whole pytest suite against it (browser tours included), and a verdict that is
# red on any failure, any ERROR/CRITICAL in Odoo's log, no test run, or a skip.
# Then a second stage for the bridge addon crm_industrial_stock (lots and deliveries):
# a second database with it (and so the inventory) installed, without demo data, and
# the tests of tests_stock/ through the same verdict. crm_industrial's own database
# never gets the inventory.
# Extra arguments go to pytest, e.g. scripts/test.sh -k customer_file; they select in
# the main stage only, unless one of them names tests_stock (then only the second stage).
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

run_main=1 run_stock=1
if [ $# -gt 0 ]; then
    run_stock=0
    for arg in "$@"; do case "$arg" in tests_stock|tests_stock/*) run_stock=1 ;; esac; done
    [ "$run_stock" = 1 ] && run_main=0
fi

# install_or_update CONF DB MODULE LOG [odoo options...]: the addon in a new database, or its
# update in a database kept by CRMI_TEST_DB; sets install_rc.
install_or_update() {
    local conf="$1" db="$2" module="$3" log="$4"; shift 4
    local start=$SECONDS updates="$module"
    # a bridge's database updates crm_industrial too, whose code may have changed
    [ "$module" = crm_industrial ] || updates="crm_industrial,$module"
    install_rc=0
    if [ -n "${CRMI_TEST_DB:-}" ] && db_exists "$db"; then
        say "Updating $module in the kept database $db"
        odoo_bin -c "$conf" -d "$db" -u "$updates" --stop-after-init --log-level=warn \
            --logfile "$log" || install_rc=$?
    else
        say "Installing $module in the database $db $*"
        odoo_bin -c "$conf" -d "$db" -i "$module" --stop-after-init --log-level=warn \
            --logfile "$log" "$@" || install_rc=$?
    fi
    say "Install took $((SECONDS - start)) s (exit $install_rc)"
}

[ -z "${CRMI_TEST_DB:-}" ] || ! db_exists "$DB" || CRMI_KEEP_DB=1
main_rc=0
if [ "$run_main" = 1 ]; then
    install_or_update "$CONF" "$DB" crm_industrial "$TEST_DIR/install.log"
    if [ "$install_rc" != 0 ]; then
        "$PYTHON" "$REPO_DIR/scripts/verdict.py" --install-rc "$install_rc" \
            --junit "$TEST_DIR/junit.xml" --log "$TEST_DIR/install.log"
        main_rc=1
    else
        bash "$REPO_DIR/scripts/suite.sh" "$CONF" "$DB" "$TEST_DIR" "$@" || main_rc=$?
    fi
fi

stock_rc=0
if [ "$run_stock" = 1 ]; then
    # crm_industrial_stock's own database: the kept one is CRMI_TEST_DB's name with _stock.
    STOCK_DB="${DB}_stock"
    STOCK_DIR="$TEST_DIR/stock"
    mkdir -p "$STOCK_DIR"
    write_odoo_config "$STOCK_DIR/odoo.conf" "db_name = $STOCK_DB" "dbfilter = ^$STOCK_DB\$" "max_cron_threads = 0"
    install_or_update "$STOCK_DIR/odoo.conf" "$STOCK_DB" crm_industrial_stock "$STOCK_DIR/install.log" \
        --without-demo=all
    if [ "$install_rc" != 0 ]; then
        "$PYTHON" "$REPO_DIR/scripts/verdict.py" --install-rc "$install_rc" \
            --junit "$STOCK_DIR/junit.xml" --log "$STOCK_DIR/install.log"
        stock_rc=1
    else
        [ $# -gt 0 ] || set -- tests_stock
        bash "$REPO_DIR/scripts/suite.sh" "$STOCK_DIR/odoo.conf" "$STOCK_DB" "$STOCK_DIR" "$@" || stock_rc=$?
    fi
fi
[ "$main_rc" = 0 ] && [ "$stock_rc" = 0 ]
