from odoo import fields, models

from .crm_customer_whitespace import WHITESPACE_HELP


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    _inherit = "res.partner"

    whitespace_ids = fields.One2many(
        "crm.customer.whitespace", "partner_id", groups="sales_team.group_sale_salesman",
        domain=lambda self: [("company_id", "=", self.env.company.id)], help=WHITESPACE_HELP)
