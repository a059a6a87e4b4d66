from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_industrial_coverage_threshold = fields.Integer(
        "Buying Center Coverage Threshold (%)", default=60,
        config_parameter="crm_industrial.coverage_threshold",
        help="Customers whose buying-center coverage is below this show as 'Low Coverage'.")
    crm_industrial_recent_contact_days = fields.Integer(
        "Recent Contact Window (days)", default=90,
        config_parameter="crm_industrial.recent_contact_days",
        help="A customer all of whose contact in this window went through one person is "
        "single-threaded.")
    crm_industrial_birthday_reminder_days = fields.Integer(
        "Birthday Reminder (days before)", default=7,
        config_parameter="crm_industrial.birthday_reminder_days",
        help="How many days before a key contact's birthday the account owner gets an activity.")

    key_account_rule = fields.Selection(related="company_id.key_account_rule", readonly=False)
    key_account_inactive_days = fields.Integer(related="company_id.key_account_inactive_days", readonly=False)
    credit_silent_delay_days = fields.Integer(related="company_id.credit_silent_delay_days", readonly=False)
    credit_silent_overdue_days = fields.Integer(related="company_id.credit_silent_overdue_days", readonly=False)

    credit_hold_over_limit = fields.Selection(related="company_id.credit_hold_over_limit", readonly=False)
    credit_hold_overdue_amount = fields.Selection(related="company_id.credit_hold_overdue_amount", readonly=False)
    credit_hold_overdue_amount_limit = fields.Monetary(
        related="company_id.credit_hold_overdue_amount_limit", readonly=False, currency_field="currency_id")
    credit_hold_overdue_days = fields.Selection(related="company_id.credit_hold_overdue_days", readonly=False)
    credit_hold_overdue_days_limit = fields.Integer(related="company_id.credit_hold_overdue_days_limit",
                                                    readonly=False)
    credit_hold_rating = fields.Selection(related="company_id.credit_hold_rating", readonly=False)
    credit_hold_rating_grade = fields.Selection(related="company_id.credit_hold_rating_grade", readonly=False)
    credit_hold_review_expired = fields.Selection(related="company_id.credit_hold_review_expired", readonly=False)

    @api.constrains("crm_industrial_coverage_threshold", "crm_industrial_recent_contact_days",
                    "crm_industrial_birthday_reminder_days")
    def _check_crm_industrial_settings(self):
        for settings in self:
            if not 0 <= settings.crm_industrial_coverage_threshold <= 100:
                raise ValidationError(self.env._("The coverage threshold is a percentage from 0 to 100."))
            if not 1 <= settings.crm_industrial_recent_contact_days <= 3650:
                raise ValidationError(self.env._("The recent contact window is from 1 to 3650 days."))
            if not 0 <= settings.crm_industrial_birthday_reminder_days <= 365:
                raise ValidationError(self.env._("Birthday reminders come 0 to 365 days ahead."))
