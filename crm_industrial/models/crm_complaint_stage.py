from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintStage(models.Model):
    """A step of the complaint workflow. Code reads the flags, never the names."""

    _name = "crm.complaint.stage"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean("Folded in Kanban")
    is_resolved = fields.Boolean(
        "Resolved", help="Reaching this stage marks the case resolved: the resolution clock stops.")
    is_closed = fields.Boolean(
        "Closing Stage", help="The case is over. Complaints need a root cause and a resolution to get "
        "here; the customer is then asked for a satisfaction rating.")
    suggestion_outcome = fields.Selection(
        [("adopted", "Adopted"), ("declined", "Declined")],
        help="For suggestions: the outcome this closing stage records.")
    description = fields.Text(translate=True)
    mail_template_id = fields.Many2one(
        "mail.template", "Email Template", domain=[("model", "=", "crm.complaint")],
        help="Sent to the customer when a case reaches this stage (on the portal and by email). "
        "Empty: the customer is not told of this stage.")

    @api.constrains("sequence")
    def _check_sequence(self):
        if any(not 0 <= record.sequence <= 100000 for record in self):
            raise ValidationError(self.env._("The sequence must be between 0 and 100,000."))
