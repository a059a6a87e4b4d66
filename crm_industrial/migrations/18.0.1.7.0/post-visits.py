"""Visit plan on existing databases.

The Strategic tier (noupdate data) gets its executive-visit interval, as a new install has it,
unless someone already set one; the visit plan table is then filled for every company, so the
list and the customers' visit dates are right before the first daily job.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("""
        UPDATE crm_key_account_tier tier SET executive_visit_days = 180
          FROM ir_model_data imd
         WHERE imd.module = 'crm_industrial' AND imd.name = 'crm_key_account_tier_strategic'
           AND imd.model = 'crm.key.account.tier' AND imd.res_id = tier.id
           AND COALESCE(tier.executive_visit_days, 0) = 0
    """))
    env = api.Environment(cr, SUPERUSER_ID, {})
    for company in env["res.company"].search([]):
        env["crm.visit.plan"].with_company(company)._refresh(company)
