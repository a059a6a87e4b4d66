from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmProductQualityValue(models.Model):
    """A measured quality value of a product (laboratory analysis), in the parameter's unit."""

    _name = "crm.product.quality.value"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Product Quality Value"
    _order = "product_tmpl_id, parameter_id"

    product_tmpl_id = fields.Many2one("product.template", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="product_tmpl_id.company_id", store=True, index=True)
    parameter_id = fields.Many2one("crm.quality.parameter", required=True)
    unit = fields.Char(related="parameter_id.unit")
    value = fields.Float("Measured Value", digits=(16, 4), help="In the parameter's unit.")
    measured_on = fields.Date(help="Date of the analysis the value comes from.")

    _sql_constraints = [
        ("parameter_unique", "UNIQUE(product_tmpl_id, parameter_id)", "A parameter is measured once per product."),
    ]

    @api.constrains("value")
    def _check_value(self):
        for line in self:
            if line.value < 0:
                raise ValidationError(self.env._(
                    "%(parameter)s of %(product)s: a measured value cannot be negative.",
                    parameter=line.parameter_id.display_name, product=line.product_tmpl_id.display_name))
