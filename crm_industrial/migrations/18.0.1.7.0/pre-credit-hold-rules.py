"""Credit holds now keep the rules they triggered as data (worded in the reader's language);
holds recorded by 18.0.1.6.0 keep their text in `legacy_rules`."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("""
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'crm_credit_hold' AND column_name = 'rules'
    """))
    if cr.fetchone():
        cr.execute(SQL("ALTER TABLE crm_credit_hold RENAME COLUMN rules TO legacy_rules"))
