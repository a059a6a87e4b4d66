# The credit bench's database and OCA's modules (sourced by bench/run.sh after scripts/lib.sh).
# OCA's account_financial_risk and sale_financial_risk 18.0 are downloaded from PyPI into
# .local/bench/oca/ and seen ONLY through the credit bench's own configuration and database:
# never the project's virtual environment, requirements, default install or tests.
OCA_SPECS=("odoo-addon-account_financial_risk>=18.0,<18.1" "odoo-addon-sale_financial_risk>=18.0,<18.1")
OCA_MODULES="account_financial_risk,sale_financial_risk"

ensure_oca_addons() {
    local oca="$LOCAL_DIR/bench/oca" wheel
    OCA_ADDONS="$oca/site/odoo/addons"
    if [ ! -f "$OCA_ADDONS/sale_financial_risk/__manifest__.py" ]; then
        say "Downloading OCA's ${OCA_MODULES//,/ and } 18.0 from PyPI into $oca (benchmark only)"
        rm -rf "$oca" && mkdir -p "$oca/wheels" "$oca/site"
        # both depend only on Odoo's own modules (account, sale): nothing else to fetch
        "$PYTHON" -m pip download -q --disable-pip-version-check --no-deps -d "$oca/wheels" "${OCA_SPECS[@]}" \
            2>&1 | grep -v "is ignored: it is neither a file nor a directory" >&2 || true
        for wheel in "$oca"/wheels/*.whl; do "$PYTHON" -m zipfile -e "$wheel" "$oca/site"; done
        [ -f "$OCA_ADDONS/sale_financial_risk/__manifest__.py" ] || die "Downloading OCA's modules failed (see above)."
    fi
}

run_credit_bench() {
    local cdb="${CRMI_BENCH_CREDIT_DB:-${DB}_credit}" cconf="$LOCAL_DIR/bench/credit-odoo.conf"
    ensure_oca_addons
    write_odoo_config "$cconf" "db_name = $cdb" "max_cron_threads = 0"
    sed -i "s|^addons_path = .*|&,$OCA_ADDONS|" "$cconf"
    if db_exists "$cdb"; then
        odoo_bin -c "$cconf" -d "$cdb" -u crm_industrial --stop-after-init --log-level=warn
    elif db_exists "$DB"; then
        say "Copying the benchmark database $DB to $cdb and installing OCA's $OCA_MODULES there"
        PGPASSWORD="$DB_PASSWORD" createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -T "$DB" "$cdb"
        [ ! -d "$DATA_DIR/filestore/$DB" ] || cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$cdb"
        # the credit figures are measured on the key-account generator's data: the order lines the
        # supply-notice bench added (no invoicing figures) are left out of the copy
        PGPASSWORD="$DB_PASSWORD" psql -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -d "$cdb" -c \
            "DELETE FROM sale_order_line WHERE order_id IN (SELECT id FROM sale_order WHERE name LIKE 'BENCH-SO/%')"
        odoo_bin -c "$cconf" -d "$cdb" -i "$OCA_MODULES" -u crm_industrial --stop-after-init --log-level=warn
    else
        say "Creating the credit benchmark database $cdb (crm_industrial and OCA's $OCA_MODULES, no demo data)"
        odoo_bin -c "$cconf" -d "$cdb" -i "crm_industrial,$OCA_MODULES" --without-demo=all --stop-after-init \
            --log-level=warn
    fi
    "$PYTHON" "$REPO_DIR/bench/credit_bench.py" --conf "$cconf" --db "$cdb" "$@"
}
