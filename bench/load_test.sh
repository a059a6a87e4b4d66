#!/usr/bin/env bash
# Issue 15's multi-worker load test: two Odoo servers in prefork mode (--workers 2
# --max-cron-threads 1 each, ports 8301 and 8302, one database), 20 simulated sales and
# quality users (locust) for 5 minutes, while a notice publishes to 20,000 recipients in
# background batches and the nightly jobs run. Prints requests per second, p50/p95 per screen,
# errors, where the batches ran and how long each took, that every recipient got exactly one
# email, and what two users editing one complaint at once keep.
#
# Usage: flock /tmp/crmi-odoo.lock bash bench/load_test.sh [--users 20] [--minutes 5]
# The database (CRMI_LOAD_DB, default crmi_bench_load) is a copy of the benchmark database
# (CRMI_LOAD_SOURCE_DB, default crmi_bench: made by bash bench/run.sh), made once and kept.
source "$(dirname "$0")/../scripts/lib.sh"
DB="${CRMI_LOAD_DB:-crmi_bench_load}"
SOURCE_DB="${CRMI_LOAD_SOURCE_DB:-crmi_bench}"
USERS=20
MINUTES=5
while [ $# -gt 0 ]; do
    case "$1" in
        --users) USERS="$2"; shift 2 ;;
        --minutes) MINUTES="$2"; shift 2 ;;
        *) die "Unknown argument $1 (--users N, --minutes M)" ;;
    esac
done
OUT="$LOCAL_DIR/bench/load/$(date +%Y%m%d%H%M%S)"
LOCUST_VENV="$LOCAL_DIR/bench/locust-venv"
CONF="$OUT/odoo.conf"
mkdir -p "$OUT"

find_odoo
ensure_odoo_python
ensure_postgres
ensure_db_role
if [ ! -x "$LOCUST_VENV/bin/locust" ]; then
    say "Installing the load generator (locust, pinned in bench/load/requirements.txt) into $LOCUST_VENV"
    python3 -m venv "$LOCUST_VENV"
    "$LOCUST_VENV/bin/pip" install -q -r "$REPO_DIR/bench/load/requirements.txt" 2>&1 \
        | grep -v "is ignored: it is neither a file nor a directory" >&2 || true
fi
write_odoo_config "$CONF" "db_name = $DB" "dbfilter = ^$DB\$" "max_cron_threads = 0"
if ! db_exists "$DB"; then
    db_exists "$SOURCE_DB" || die "No benchmark database $SOURCE_DB: run 'bash bench/run.sh' first (or set CRMI_LOAD_SOURCE_DB)."
    say "Copying $SOURCE_DB to $DB (once)"
    PGPASSWORD="$DB_PASSWORD" createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -T "$SOURCE_DB" "$DB" \
        || die "Copying $SOURCE_DB failed."
fi
say "Updating crm_industrial in $DB"
odoo_bin -c "$CONF" -d "$DB" -u crm_industrial --stop-after-init --log-level=warn || die "The update failed."
"$PYTHON" "$REPO_DIR/bench/load/prepare.py" --conf "$CONF" --db "$DB" --sample "$OUT/sample.json" || die "Preparing failed."

# Prefork servers start their gevent worker again from sys.argv: they need a script, not `python -m odoo`.
if [ -f "$ODOO_DIR/odoo-bin" ]; then server=("$PYTHON" "$ODOO_DIR/odoo-bin")
elif [ -x "$(dirname "$PYTHON")/odoo" ]; then server=("$(dirname "$PYTHON")/odoo")
else die "No odoo-bin next to $ODOO_DIR and no 'odoo' script beside $PYTHON: the prefork servers need one."
fi
pids=()
stop_servers() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; }
trap stop_servers EXIT
for node in 1 2; do
    write_odoo_config "$OUT/node$node.conf" "db_name = $DB" "dbfilter = ^$DB\$" "workers = 2" "max_cron_threads = 1" \
        "http_port = 830$node" "gevent_port = 831$node" "logfile = $OUT/node$node.log" "log_level = info" \
        "proxy_mode = False"
    "${server[@]}" -c "$OUT/node$node.conf" &
    pids+=($!)
done
for node in 1 2; do
    for _ in $(seq 120); do
        curl -sf "http://127.0.0.1:830$node/web/health" >/dev/null && break
        sleep 1
    done
    curl -sf "http://127.0.0.1:830$node/web/health" >/dev/null || die "Server $node did not start (see $OUT/node$node.log)."
done
say "Two servers up (8301, 8302); waking the nightly jobs and publishing the notice"
"$PYTHON" "$REPO_DIR/bench/load/prepare.py" --conf "$CONF" --db "$DB" --nightly
"$PYTHON" "$REPO_DIR/bench/load/publish.py" --url http://127.0.0.1:8302 --db "$DB" --out "$OUT/publish.json" \
    || die "The Publish click failed."

say "Load: $USERS users for $MINUTES minutes"
CRMI_LOAD_SERVERS="http://127.0.0.1:8301,http://127.0.0.1:8302" CRMI_LOAD_DB="$DB" CRMI_LOAD_SAMPLE="$OUT/sample.json" \
    "$LOCUST_VENV/bin/locust" -f "$REPO_DIR/bench/load/locustfile.py" --headless -u "$USERS" -r 4 \
    -t "${MINUTES}m" --host http://127.0.0.1:8301 --csv "$OUT/locust" --only-summary > "$OUT/locust.out" 2>&1 \
    && locust_rc=0 || locust_rc=$?
"$PYTHON" "$REPO_DIR/bench/load/publish.py" --url http://127.0.0.1:8302 --db "$DB" --out "$OUT/publish.json" \
    --wait 900 || say "The notice had not finished publishing."
"$PYTHON" "$REPO_DIR/bench/load/conflict.py" --urls http://127.0.0.1:8301,http://127.0.0.1:8302 --db "$DB" \
    --out "$OUT/conflict.json" || say "Two users' concurrent saves lost a change."
stop_servers
trap - EXIT
"$PYTHON" "$REPO_DIR/bench/load/prepare.py" --conf "$CONF" --db "$DB" --report "$OUT/report.json"
"$PYTHON" "$REPO_DIR/bench/load/summary.py" "$OUT"
say "Everything of this run is in $OUT (locust exit $locust_rc)"
