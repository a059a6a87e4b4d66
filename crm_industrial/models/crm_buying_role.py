from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_COLD_AFTER_DAYS = 3650


class CrmBuyingRole(models.Model):
    """A role people play in a customer's purchase decisions (the buying center)."""

    _name = "crm.buying.role"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Buying Center Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    key_role = fields.Boolean(
        help="Key roles are expected in the buying center of every key account: "
        "a customer without one of them shows a gap in its coverage.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    cold_after_days = fields.Integer(
        "Going Cold After (days)", default=90,
        help="A contact holding this role who has not been contacted for longer than this "
        "appears in the 'going cold' list. 0: never.")
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the role between companies.")

    @api.constrains("cold_after_days")
    def _check_cold_after_days(self):
        if any(not 0 <= role.cold_after_days <= MAX_COLD_AFTER_DAYS for role in self):
            raise ValidationError(self.env._(
                "A contact goes cold after 0 (never) to %(max)s days.", max=MAX_COLD_AFTER_DAYS))

    @api.model_create_multi
    def create(self, vals_list):
        roles = super().create(vals_list)
        if roles.filtered("key_role"):
            self.env["res.partner"]._recompute_buying_center_coverage()
        return roles

    def write(self, vals):
        result = super().write(vals)
        if {"key_role", "active", "company_id"} & set(vals):
            self.env["res.partner"]._recompute_buying_center_coverage()
        return result

    def unlink(self):
        had_key_role = bool(self.filtered("key_role"))
        result = super().unlink()
        if had_key_role:
            self.env["res.partner"]._recompute_buying_center_coverage()
        return result
