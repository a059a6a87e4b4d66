#!/usr/bin/env bash
# `make i18n`: regenerate crm_industrial/i18n/crm_industrial.pot from a database with the
# addon installed, and merge it into every .po (new terms empty, vanished terms dropped).
# Usage: scripts/i18n.sh DATABASE (e.g. the one `make run` made: crm_industrial).
source "$(dirname "$0")/lib.sh"
DB="${1:-${CRMI_DB:-crm_industrial}}"
CONF="$LOCAL_DIR/i18n/odoo.conf"
I18N_DIR="$REPO_DIR/crm_industrial/i18n"

find_odoo
ensure_odoo_python
ensure_postgres
db_exists "$DB" || die "No database '$DB': run 'make run' once (or name a database with crm_industrial installed)."
write_odoo_config "$CONF"
odoo_bin -c "$CONF" -d "$DB" -u crm_industrial --stop-after-init --log-level=warn
odoo_bin -c "$CONF" -d "$DB" --i18n-export="$I18N_DIR/crm_industrial.pot" --modules=crm_industrial \
    --stop-after-init --log-level=warn
"$PYTHON" "$REPO_DIR/scripts/po_merge.py" "$I18N_DIR"
