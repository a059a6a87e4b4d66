#!/usr/bin/env bash
# `make run`: Odoo at http://localhost:8069 with crm_industrial and the demo story.
source "$(dirname "$0")/lib.sh"

DB="${CRMI_DB:-crm_industrial}"
PORT="${CRMI_HTTP_PORT:-8069}"
# CRMI_LANG=zh_CN: the language loaded with the demo and set on its users (English by default).
LANG_CODE="${CRMI_LANG:-}"
RUN_DIR="$LOCAL_DIR/run"
CONF="$RUN_DIR/odoo.conf"

find_odoo
ensure_odoo_python
# Printing (complaint reports, invoices) renders PDFs with wkhtmltopdf.
command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
# Without a CJK font every Chinese character of a PDF is an empty box.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || apt_install fonts-noto-cjk
ensure_postgres
ensure_db_role
write_odoo_config "$CONF" "db_name = $DB" "dbfilter = ^$DB\$" "http_port = $PORT"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "Port $PORT is already in use (an Odoo started earlier?): stop it, or choose another port with CRMI_HTTP_PORT=8070 make run."
fi

if db_exists "$DB"; then
    say "Updating crm_industrial in the existing database '$DB'"
    odoo_bin -c "$CONF" -d "$DB" -u crm_industrial --stop-after-init --logfile "$RUN_DIR/update.log" \
        || die "Updating crm_industrial failed: see $RUN_DIR/update.log"
else
    say "Creating the database '$DB' with crm_industrial and its demo story (about two minutes, once)"
    # With CRMI_LANG the language is there before the demo story is written (see _load_demo_language).
    odoo_bin -c "$CONF" -d "$DB" -i crm_industrial ${LANG_CODE:+"--load-language=$LANG_CODE"} --stop-after-init \
        --logfile "$RUN_DIR/install.log" \
        || { drop_db "$DB"; die "Installing crm_industrial failed: see $RUN_DIR/install.log"; }
fi

if [ -n "$LANG_CODE" ]; then
    say "Loading the language $LANG_CODE and setting it on the demo users"
    odoo_bin shell -c "$CONF" -d "$DB" --no-http --logfile "$RUN_DIR/lang.log" >/dev/null <<PY \
        || die "Loading the language $LANG_CODE failed: see $RUN_DIR/lang.log"
env['res.lang']._activate_lang('$LANG_CODE')
env['ir.module.module'].search([('state', '=', 'installed')])._update_translations(['$LANG_CODE'])
# the demo story's names, job titles, complaint and notice texts (demo/i18n/<lang>.csv)
env['crm.industrial.demo']._localize_demo_texts('$LANG_CODE')
users = env['res.users'].search([('login', 'in', ['admin', 'demo'])])
users.write({'lang': '$LANG_CODE'})
env.cr.commit()
PY
fi

odoo_bin -c "$CONF" --logfile "$RUN_DIR/server.log" &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID' INT TERM
# One request before any browser: works around a CPython 3.11.7 race in Odoo's static files.
for _ in $(seq 1 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    kill -0 $SERVER_PID 2>/dev/null || die "Odoo stopped while starting: see $RUN_DIR/server.log"
    sleep 1
done
cat <<TXT

  crm_industrial is running: http://localhost:$PORT
  Log in as admin / admin (demo database '$DB'; demo sales user: demo / demo).
  Server log: $RUN_DIR/server.log — press Ctrl+C to stop.

TXT
wait $SERVER_PID
