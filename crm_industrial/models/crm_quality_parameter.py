from odoo import fields, models


class CrmQualityParameter(models.Model):
    """A measurable property of a product that customers specify: sulphur, calorific value, ash..."""

    _name = "crm.quality.parameter"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Quality Parameter"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    unit = fields.Char(
        required=True, translate=True,
        help="The unit of the parameter's measured values and limits, e.g. %, kcal/kg, mm.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the parameter between companies.")
    description = fields.Text(help="How the parameter is measured (standard, basis), for the laboratory.")

    _sql_constraints = [
        ("name_company_unique", "UNIQUE(name, company_id)", "A quality parameter's name is unique per company."),
    ]

    def _compute_display_name(self):
        for parameter in self:
            parameter.display_name = f"{parameter.name} ({parameter.unit})" if parameter.unit else parameter.name
