from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmAccountPlanCompetitor(models.Model):
    """A competitor present at the customer: its estimated share of the customer's purchases and
    its strengths."""

    _name = "crm.account.plan.competitor"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Account Plan Competitor"
    _order = "plan_id, share desc, id"
    _check_company_auto = True

    plan_id = fields.Many2one("crm.account.plan", "Account Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    competitor_id = fields.Many2one(
        "res.partner", required=True, check_company=True, domain="[('is_company', '=', True)]",
        help="The competing company, as a contact of ours.")
    share = fields.Float("Estimated Share (%)", help="Its estimated share of the customer's purchases, 0 to 100.")
    strengths = fields.Text("Their Strengths")

    @api.constrains("share", "competitor_id", "plan_id")
    def _check_share(self):
        for competitor in self:
            if not 0 <= competitor.share <= 100:
                raise ValidationError(self.env._(
                    "%(competitor)s: the estimated share is between 0 and 100%%.",
                    competitor=competitor.competitor_id.display_name))
            if competitor.competitor_id == competitor.plan_id.partner_id:
                raise ValidationError(self.env._("The customer is not its own competitor."))
            total = sum(competitor.plan_id.competitor_ids.mapped("share"))
            if total > 100:
                raise ValidationError(self.env._(
                    "The competitors' shares add up to %(total)s%%, more than 100%%.", total=round(total, 1)))
