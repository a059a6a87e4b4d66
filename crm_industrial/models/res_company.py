from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_rule = fields.Selection(
        [("pareto", "Pareto (cumulative revenue share)"), ("threshold", "Revenue thresholds")],
        "Key-Account Classification", default="pareto", required=True,
        help="Pareto: customers are ranked by 12-month revenue and the tiers split the cumulative "
        "share (80/20). Thresholds: each tier has a minimum 12-month revenue.")
    key_account_inactive_days = fields.Integer(
        "Inactive After (days)", default=365,
        help="Customers without a posted invoice for this long fall in the inactive tier.")

    @api.constrains("key_account_inactive_days")
    def _check_key_account_inactive_days(self):
        if any(company.key_account_inactive_days <= 0 for company in self):
            raise ValidationError(self.env._("The inactivity period must be at least one day."))
