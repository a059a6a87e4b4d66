from odoo import fields, models


class CrmKeyAccountTierHistory(models.Model):
    """One change of a customer's tier: who, when, from, to and why."""

    _name = "crm.key.account.tier.history"
    _description = "Key-Account Tier Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", "Changed by", default=lambda self: self.env.user)
    old_tier_id = fields.Many2one("crm.key.account.tier", "From")
    new_tier_id = fields.Many2one("crm.key.account.tier", "To")
    automatic = fields.Boolean(help="Set by the nightly classification rather than by a person.")
    reason = fields.Char()
