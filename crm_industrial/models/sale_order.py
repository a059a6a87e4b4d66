from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_tier_id = fields.Many2one(
        "crm.key.account.tier", "Key-Account Tier", compute="_compute_key_account_tier_id",
        store=True, precompute=True, help="The customer's tier when the order was created.")

    @api.depends("partner_id")
    def _compute_key_account_tier_id(self):
        for order in self:
            order = order.with_company(order.company_id)
            order.key_account_tier_id = order.partner_id.commercial_partner_id.sudo().key_account_tier_id

    def _action_confirm(self):
        result = super()._action_confirm()
        self.partner_id._fill_customer_since()
        return result
