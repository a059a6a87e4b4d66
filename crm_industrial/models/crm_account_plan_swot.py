from odoo import fields, models

SWOT_KINDS = [
    ("strength", "Strength"),
    ("weakness", "Weakness"),
    ("opportunity", "Opportunity"),
    ("threat", "Threat"),
]


class CrmAccountPlanSwot(models.Model):
    """One point of the SWOT of our position at the customer, against our competitors."""

    _name = "crm.account.plan.swot"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Account Plan SWOT Point"
    _order = "plan_id, kind, sequence, id"

    plan_id = fields.Many2one("crm.account.plan", "Account Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(SWOT_KINDS, required=True, default="strength")
    name = fields.Text("Point", required=True)
