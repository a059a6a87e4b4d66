from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_credit_rating import CREDIT_GRADES

RULE_MODES = [("off", "Off"), ("warn", "Warn"), ("hold", "Hold")]
# rule -> (default mode, threshold field, default threshold). Empty columns mean the default:
# companies are also created by code that knows nothing of this addon (see res_company.py).
CREDIT_HOLD_RULES = {
    "over_limit": ("warn", None, None),  # as Odoo itself does; a company opts into holding
    "overdue_amount": ("off", "credit_hold_overdue_amount_limit", 0.0),
    "overdue_days": ("warn", "credit_hold_overdue_days_limit", 60),
    "rating": ("hold", "credit_hold_rating_grade", "D"),
    "review_expired": ("warn", None, None),
}
MAX_OVERDUE_DAYS = 3650


def _mode_field(rule, string, help_text):
    return fields.Selection(RULE_MODES, string, default=CREDIT_HOLD_RULES[rule][0], help=help_text)


# One file per feature of the company (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResCompany(models.Model):
    """The company's order-hold policy: which credit rules only warn on a quotation and which
    hold the order until a credit controller releases it."""

    _inherit = "res.company"

    credit_hold_over_limit = _mode_field(
        "over_limit", "Over Credit Limit",
        "The customer's credit exposure plus the order would exceed its credit limit (Odoo's credit "
        "limit, used when the company's credit limits are on).")
    credit_hold_overdue_amount = _mode_field(
        "overdue_amount", "Overdue Above an Amount", "The customer's overdue receivables exceed the amount below.")
    credit_hold_overdue_amount_limit = fields.Monetary(
        "Overdue Amount Limit", currency_field="currency_id", default=0.0,
        help="Overdue receivables above this amount trigger the rule (0: any overdue amount).")
    credit_hold_overdue_days = _mode_field(
        "overdue_days", "Oldest Overdue Above N Days",
        "The customer's oldest overdue invoice is more days overdue than the number below.")
    credit_hold_overdue_days_limit = fields.Integer(
        "Overdue Days Limit", default=60, help="From 0 to 3650 days.")
    credit_hold_rating = _mode_field(
        "rating", "Credit Rating at or Below",
        "The customer's current credit rating is the grade below or worse.")
    credit_hold_rating_grade = fields.Selection(
        CREDIT_GRADES, "Rating Grade Limit", default="D", help="A is the best grade, E the worst.")
    credit_hold_review_expired = _mode_field(
        "review_expired", "Credit Review Expired", "The review date of the customer's current rating has passed.")

    @api.constrains("credit_hold_overdue_amount_limit", "credit_hold_overdue_days_limit")
    def _check_credit_hold_limits(self):
        for company in self:
            if company.credit_hold_overdue_amount_limit < 0:
                raise ValidationError(self.env._("The overdue amount limit cannot be negative."))
            if not 0 <= company.credit_hold_overdue_days_limit <= MAX_OVERDUE_DAYS:
                raise ValidationError(self.env._(
                    "The overdue days limit is from 0 to %(max)s days.", max=MAX_OVERDUE_DAYS))

    def _credit_hold_policy(self):
        """{rule: (mode, threshold)} of this company, defaults filling empty columns."""
        self.ensure_one()
        policy = {}
        for rule, (default_mode, threshold_field, default_threshold) in CREDIT_HOLD_RULES.items():
            mode = self[f"credit_hold_{rule}"] or default_mode
            # Numbers read 0 from an empty column; the migration fills existing companies.
            threshold = (self[threshold_field] or default_threshold) if threshold_field == "credit_hold_rating_grade" \
                else (self[threshold_field] if threshold_field else None)
            policy[rule] = (mode, threshold)
        return policy
