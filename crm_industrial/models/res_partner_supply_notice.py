from odoo import fields, models


class ResPartner(models.Model):
    """The supply notices in effect for a customer, on its form."""

    _inherit = "res.partner"

    supply_notice_recipient_ids = fields.One2many(
        "crm.supply.notice.recipient", "partner_id", "Supply Notices", groups="base.group_user")
    active_supply_notice_ids = fields.Many2many(
        "crm.supply.notice", compute="_compute_active_supply_notice_ids", string="Supply Notices in Effect",
        groups="base.group_user")

    def _compute_active_supply_notice_ids(self):
        notices = self.env["crm.supply.notice"].search(self.env["crm.supply.notice"]._in_effect_domain())
        for partner in self:
            partner.active_supply_notice_ids = notices.filtered(
                lambda notice: partner.commercial_partner_id in notice.recipient_ids.partner_id)
