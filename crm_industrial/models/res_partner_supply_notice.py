from odoo import fields, models


# The customer record is extended in one file per pillar (customer file, buying center,
# key accounts, complaints, supply notices), each with its own fields and rules.
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The supply notices in effect for a customer, on its form."""

    _inherit = "res.partner"

    supply_notice_recipient_ids = fields.One2many(
        "crm.supply.notice.recipient", "partner_id", "Supply Notices", groups="base.group_user")
    active_supply_notice_ids = fields.Many2many(
        "crm.supply.notice", compute="_compute_active_supply_notice_ids", string="Supply Notices in Effect",
        groups="base.group_user")

    def _compute_active_supply_notice_ids(self):
        # Only these customers' recipient rows: a notice may have thousands of others.
        recipients = self.env["crm.supply.notice.recipient"].search([
            ("partner_id", "in", self.commercial_partner_id.ids),
            ("notice_id", "any", self.env["crm.supply.notice"]._in_effect_domain())])
        for partner in self:
            partner.active_supply_notice_ids = recipients.filtered(
                lambda recipient: recipient.partner_id == partner.commercial_partner_id).notice_id  # noqa: B023
