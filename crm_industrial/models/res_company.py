from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_KEY_ACCOUNT_RULE = "pareto"
DEFAULT_INACTIVE_DAYS = 365
# The figures span 24 months: a longer inactivity period could not be measured.
MAX_INACTIVE_DAYS = 730
# Silent dissatisfaction (DOMAIN.md §4): how much later a customer must pay, or how long an amount
# must stay overdue, before the account owner is asked to call.
DEFAULT_SILENT_DELAY_DAYS = 10
DEFAULT_SILENT_OVERDUE_DAYS = 30
MAX_SILENT_DAYS = 365


class ResCompany(models.Model):
    """Key-account settings of a company.

    The columns stay nullable: companies are also created by code that runs while the
    registry is loaded only up to sale or crm (their own tests, upgrade steps) and knows
    nothing of this addon. An empty value means the default (see the helpers below).
    """

    _inherit = "res.company"

    key_account_rule = fields.Selection(
        [("pareto", "Pareto (cumulative revenue share)"), ("threshold", "Revenue thresholds")],
        "Key-Account Classification", default=DEFAULT_KEY_ACCOUNT_RULE,
        help="Pareto: customers are ranked by 12-month revenue and the tiers split the cumulative "
        "share (80/20). Thresholds: each tier has a minimum 12-month revenue.")
    key_account_inactive_days = fields.Integer(
        "Inactive After (days)", default=DEFAULT_INACTIVE_DAYS,
        help="Customers without a posted invoice for this long fall in the inactive tier "
        "(1 to 730 days: the figures cover the last 24 months).")

    credit_silent_delay_days = fields.Integer(
        "Paying Later By (days)", default=DEFAULT_SILENT_DELAY_DAYS,
        help="Silent dissatisfaction is raised when a customer without an open complaint pays this many "
        "days later on average over the last 3 months than in the 6 months before (1 to 365).")
    credit_silent_overdue_days = fields.Integer(
        "Overdue For More Than (days)", default=DEFAULT_SILENT_OVERDUE_DAYS,
        help="Silent dissatisfaction is raised when a customer without an open complaint has an undisputed "
        "amount overdue for more than this many days (1 to 365).")

    @api.constrains("credit_silent_delay_days", "credit_silent_overdue_days")
    def _check_credit_silent_days(self):
        for company in self:
            for days in (company.credit_silent_delay_days, company.credit_silent_overdue_days):
                if not 0 < days <= MAX_SILENT_DAYS:
                    raise ValidationError(self.env._(
                        "The silent-dissatisfaction limits are from 1 to %(max)s days.", max=MAX_SILENT_DAYS))

    @api.constrains("key_account_inactive_days")
    def _check_key_account_inactive_days(self):
        if any(not 0 < company.key_account_inactive_days <= MAX_INACTIVE_DAYS for company in self):
            raise ValidationError(self.env._(
                "The inactivity period is from 1 to %(max)s days.", max=MAX_INACTIVE_DAYS))

    def _key_account_rule(self):
        self.ensure_one()
        return self.key_account_rule or DEFAULT_KEY_ACCOUNT_RULE

    def _key_account_inactive_days(self):
        self.ensure_one()
        return self.key_account_inactive_days or DEFAULT_INACTIVE_DAYS

    def _credit_silent_delay_days(self):
        self.ensure_one()
        return self.credit_silent_delay_days or DEFAULT_SILENT_DELAY_DAYS

    def _credit_silent_overdue_days(self):
        self.ensure_one()
        return self.credit_silent_overdue_days or DEFAULT_SILENT_OVERDUE_DAYS
