from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_key_account_tier import SEVERITIES

MAX_SERVICE_HOURS = 2000  # working hours in a year


class CrmKeyAccountTierServiceLevel(models.Model):
    """What a tier promises when one of its customers complains, by severity."""

    _name = "crm.key.account.tier.service.level"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Key-Account Tier Service Level"
    _order = "tier_id, severity"

    tier_id = fields.Many2one("crm.key.account.tier", required=True, ondelete="cascade", index=True)
    severity = fields.Selection(SEVERITIES, required=True)
    response_hours = fields.Float("First Response (working hours)", required=True,
                                  help="More than 0, at most the resolution time.")
    resolution_hours = fields.Float("Resolution (working hours)", required=True,
                                    help="At least the response time, at most 2000 working hours (a year).")

    _sql_constraints = [
        ("tier_severity_unique", "UNIQUE(tier_id, severity)", "A tier has one service level per severity."),
    ]

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for level in self:
            if level.response_hours <= 0 or level.resolution_hours < level.response_hours:
                raise ValidationError(self.env._(
                    "Response time must be positive and resolution time at least the response time."))
            if level.resolution_hours > MAX_SERVICE_HOURS:
                raise ValidationError(self.env._(
                    "A service level promises at most %(max)s working hours (about a year).",
                    max=MAX_SERVICE_HOURS))
