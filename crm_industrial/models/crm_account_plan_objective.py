from odoo import api, fields, models
from odoo.exceptions import ValidationError

OBJECTIVE_STATES = [
    ("open", "Open"),
    ("done", "Achieved"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]


class CrmAccountPlanObjective(models.Model):
    """What we aim for with the customer this year: who does it, by when, how far it is."""

    _name = "crm.account.plan.objective"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Account Plan Objective"
    _order = "plan_id, date_deadline, id"
    _check_company_auto = True

    plan_id = fields.Many2one("crm.account.plan", "Account Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char("Objective", required=True)
    user_id = fields.Many2one("res.users", "Owner", default=lambda self: self.env.user, domain=[("share", "=", False)])
    date_deadline = fields.Date("Due Date")
    progress = fields.Float("Progress (%)", help="From 0 to 100.")
    state = fields.Selection(OBJECTIVE_STATES, "Status", required=True, default="open")

    @api.constrains("progress")
    def _check_progress(self):
        for objective in self:
            if not 0 <= objective.progress <= 100:
                raise ValidationError(self.env._(
                    "%(objective)s: the progress is between 0 and 100%%.", objective=objective.name))
