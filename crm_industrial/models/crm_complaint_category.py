from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintCategory(models.Model):
    _name = "crm.complaint.category"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()

    @api.constrains("sequence")
    def _check_sequence(self):
        if any(not 0 <= record.sequence <= 100000 for record in self):
            raise ValidationError(self.env._("The sequence must be between 0 and 100,000."))
