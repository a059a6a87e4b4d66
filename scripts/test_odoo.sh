#!/usr/bin/env bash
# `make test-odoo`: Odoo's own tests of the apps crm_industrial extends, on two throwaway
# demo databases made the same way, one without crm_industrial and one with it. Red when
# a test fails or errors only with crm_industrial (what fails in both is the machine's).
#
# The apps are installed first; then they are updated with the tests on, as Odoo's own CI
# does: their at_install tests run while the registry is loaded only up to them (the
# addon's columns are in the database, its Python is not yet), their post_install tests
# with everything loaded.
source "$(dirname "$0")/lib.sh"

APPS="sale_management,crm,contacts,account"
TAGS="${CRMI_ODOO_TEST_TAGS:-/sale,/sale_management,/crm,/contacts,/account:TestAccountPartner,/account:TestAccountPaymentMethodLine,/account:TestAccountMoveOutInvoiceOnchanges,/account:TestAccountMoveOutRefundOnchanges,/account:TestMergePartner,/account:TestAccountMoveDuplicate}"
STAMP="$(date +%Y%m%d%H%M%S)_$$"
OUT="$LOCAL_DIR/test-odoo/$STAMP"
STOCK_DB="crmi_stock_$STAMP"
ADDON_DB="crmi_addon_$STAMP"
mkdir -p "$OUT"

find_odoo
ensure_odoo_python
say "Checking the test tools (websocket-client, Chromium)"
pip_install -r "$REPO_DIR/requirements-test.txt" || die "Installing the test tools failed (see above)."
command -v chromium >/dev/null || command -v google-chrome >/dev/null || apt_install chromium
ensure_postgres
ensure_db_role
write_odoo_config "$OUT/odoo.conf" "max_cron_threads = 0" "http_port = ${CRMI_TEST_HTTP_PORT:-8169}"

cleanup() { drop_db "$STOCK_DB"; drop_db "$ADDON_DB"; }
trap cleanup EXIT

start=$SECONDS
say "Installing $APPS with demo data in $STOCK_DB"
odoo_bin -c "$OUT/odoo.conf" -d "$STOCK_DB" -i "$APPS" --stop-after-init --log-level=warn \
    --logfile "$OUT/install-stock.log" || die "Installing $APPS failed: see $OUT/install-stock.log"
PGPASSWORD="$DB_PASSWORD" createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -T "$STOCK_DB" "$ADDON_DB"
cp -r "$DATA_DIR/filestore/$STOCK_DB" "$DATA_DIR/filestore/$ADDON_DB" 2>/dev/null || true
say "Installing crm_industrial in $ADDON_DB"
odoo_bin -c "$OUT/odoo.conf" -d "$ADDON_DB" -i crm_industrial --stop-after-init --log-level=warn \
    --logfile "$OUT/install-addon.log" || die "Installing crm_industrial failed: see $OUT/install-addon.log"
say "Databases ready in $((SECONDS - start)) s"

for db in "$STOCK_DB" "$ADDON_DB"; do
    start=$SECONDS
    say "Running Odoo's own tests on $db (about 7 minutes)"
    odoo_bin -c "$OUT/odoo.conf" -d "$db" -u "$APPS" --test-tags "$TAGS" --stop-after-init \
        --log-level=info --logfile "$OUT/$db.log" || true
    say "Done in $((SECONDS - start)) s"
done

"$PYTHON" "$REPO_DIR/scripts/odoo_compare.py" --stock "$OUT/$STOCK_DB.log" --addon "$OUT/$ADDON_DB.log"
