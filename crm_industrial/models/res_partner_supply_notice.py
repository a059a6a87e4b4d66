from odoo import fields, models


# The customer record is extended in one file per pillar (customer file, buying center,
# key accounts, complaints, supply notices), each with its own fields and rules.
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The supply notices in effect for a customer, on its form."""

    _inherit = "res.partner"

    supply_notice_recipient_ids = fields.One2many(
        "crm.supply.notice.recipient", "partner_id", "Supply Notices", groups="base.group_user")
    # read with the counts on the customer form, in one query (res_partner_record_counts.py)
    active_supply_notice_ids = fields.Many2many(
        "crm.supply.notice", compute="_compute_record_counts", string="Supply Notices in Effect",
        groups="base.group_user")
