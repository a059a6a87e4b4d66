#!/usr/bin/env bash
# Benchmarks on a database of their own (kept between runs: the data is made once).
# Usage: bench/run.sh [--only credit|hot] [--customers 20000 --lines 1000000]
#   (--customers/--lines go to the key-account bench, whose generator the others reuse)
# CRMI_BENCH_COMPLAINTS=100000 sets the number of open complaints of the complaint bench.
# The supply-notice bench adds 1,000,000 order lines to the key-account bench's orders.
# The credit bench runs on a copy of the benchmark database (crmi_bench_credit) with OCA's
# account_financial_risk and sale_financial_risk beside crm_industrial: see bench/README.md.
# The hot-screens bench (--only hot) counts the queries of the screens users open all day on two
# databases with demo data: crm_industrial's (crmi_bench_hot) and one with only the Odoo modules
# it depends on (crmi_bench_hot_stock); it runs alone, not in the full run: see bench/README.md.
source "$(dirname "$0")/../scripts/lib.sh"
DB="${CRMI_BENCH_DB:-crmi_bench}"
COMPLAINTS="${CRMI_BENCH_COMPLAINTS:-100000}"
CONF="$LOCAL_DIR/bench/odoo.conf"
ONLY=""
if [ "${1:-}" = "--only" ]; then
    ONLY="${2:?--only needs a benchmark name (credit or hot)}"
    shift 2
    [ "$ONLY" = credit ] || [ "$ONLY" = hot ] || die "Unknown benchmark '$ONLY': only 'credit' and 'hot' run alone."
fi

find_odoo
ensure_odoo_python
ensure_postgres
ensure_db_role
source "$REPO_DIR/bench/credit_setup.sh"

if [ "$ONLY" = credit ]; then
    run_credit_bench "$@"
    exit
fi
if [ "$ONLY" = hot ]; then
    HOT_DB="${CRMI_BENCH_HOT_DB:-${DB}_hot}"
    STOCK_DB="${CRMI_BENCH_HOT_STOCK_DB:-${DB}_hot_stock}"
    HOT_CONF="$LOCAL_DIR/bench/hot-odoo.conf"
    write_odoo_config "$HOT_CONF" "max_cron_threads = 0"
    if db_exists "$HOT_DB"; then
        odoo_bin -c "$HOT_CONF" -d "$HOT_DB" -u crm_industrial --stop-after-init --log-level=warn
    else
        say "Creating the hot-screens database $HOT_DB (crm_industrial with demo data)"
        odoo_bin -c "$HOT_CONF" -d "$HOT_DB" -i crm_industrial --stop-after-init --log-level=warn
    fi
    if ! db_exists "$STOCK_DB"; then
        # the modules of the manifest's depends, nothing of crm_industrial
        DEPENDS="$("$PYTHON" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' \
            "$REPO_DIR/crm_industrial/__manifest__.py")"
        say "Creating the stock database $STOCK_DB ($DEPENDS with demo data, without crm_industrial)"
        odoo_bin -c "$HOT_CONF" -d "$STOCK_DB" -i "$DEPENDS" --stop-after-init --log-level=warn
    fi
    "$PYTHON" "$REPO_DIR/bench/hot_screens.py" --conf "$HOT_CONF" --db "$HOT_DB" --stock-db "$STOCK_DB"
    exit
fi
write_odoo_config "$CONF" "db_name = $DB" "max_cron_threads = 0"
if ! db_exists "$DB"; then
    say "Creating the benchmark database $DB (crm_industrial, no demo data)"
    odoo_bin -c "$CONF" -d "$DB" -i crm_industrial --without-demo=all --stop-after-init --log-level=warn
else
    odoo_bin -c "$CONF" -d "$DB" -u crm_industrial --stop-after-init --log-level=warn
fi
"$PYTHON" "$REPO_DIR/bench/key_account_bench.py" --conf "$CONF" --db "$DB" "$@"
"$PYTHON" "$REPO_DIR/bench/complaint_bench.py" --conf "$CONF" --db "$DB" --complaints "$COMPLAINTS"
"$PYTHON" "$REPO_DIR/bench/supply_notice_bench.py" --conf "$CONF" --db "$DB"
run_credit_bench "$@"
