from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_key_account_tier import MAX_VISIT_DAYS


# The visit plan's part of the tier, in its own file like the other pillars.
# pylint: disable=consider-merging-classes-inherited
class CrmKeyAccountTier(models.Model):
    _inherit = "crm.key.account.tier"

    executive_visit_days = fields.Integer(
        "Executive Visit Every (days)",
        help="Strategic accounts: how often one of our executives visits the customer, from 1 to 730 days "
        "(a meeting marked Executive Visit, or a done Executive Visit activity). 0: no executive visits planned.")

    @api.constrains("executive_visit_days")
    def _check_executive_visit_days(self):
        for tier in self:
            if not 0 <= tier.executive_visit_days <= MAX_VISIT_DAYS:
                raise ValidationError(self.env._(
                    "%(tier)s: executive visit every 0 (no plan) to %(max)s days.", tier=tier.name, max=MAX_VISIT_DAYS))
