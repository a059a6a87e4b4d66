from odoo.tools import SQL

# Indexes crm_industrial creates on Odoo's own tables (crm.customer.credit.stat's init()): they
# go with the addon.
ODOO_TABLE_INDEXES = (
    "crm_industrial_aml_partner_account_index", "crm_industrial_sol_to_invoice_index",
    "crm_industrial_move_customer_invoice_index", "crm_industrial_partial_debit_date_index",
    "crm_industrial_aml_move_index", "crm_industrial_move_type_index",
)


def post_init_hook(env):
    """Customers that already bought from us get their 'customer since' date, and their
    key-account figures and tier right away rather than after the first night."""
    buyers = env["sale.order"]._read_group([("state", "=", "sale")], groupby=["partner_id"])
    env["res.partner"].union(*(partner for partner, in buyers))._fill_customer_since()
    env["crm.key.account.stat"]._cron_recompute()


def uninstall_hook(env):
    """Odoo drops the addon's tables and columns; the indexes it made on Odoo's tables are dropped here."""
    for name in ODOO_TABLE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
