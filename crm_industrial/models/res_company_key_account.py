from odoo import api, models
from odoo.exceptions import ValidationError

# The figures span 24 months: a longer inactivity period could not be measured.
MAX_INACTIVE_DAYS = 730


class ResCompany(models.Model):
    """Bounds of the key-account settings of a company."""

    _inherit = "res.company"

    @api.constrains("key_account_inactive_days")
    def _check_key_account_inactive_days_bound(self):
        if any(company.key_account_inactive_days > MAX_INACTIVE_DAYS for company in self):
            raise ValidationError(self.env._(
                "The inactivity period is at most %(max)s days: the figures cover the last 24 months.",
                max=MAX_INACTIVE_DAYS))
