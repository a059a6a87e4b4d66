from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmLotQualityValue(models.Model):
    """A measured quality value of one lot (its laboratory analysis), in the parameter's unit.

    When a delivery is checked against a customer's specification, a lot's value of a parameter
    wins over its product's value of the same parameter."""

    _name = "crm.lot.quality.value"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Lot Quality Value"
    _order = "lot_id, parameter_id"
    _check_company_auto = True

    lot_id = fields.Many2one("stock.lot", "Lot/Serial Number", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    company_id = fields.Many2one(related="lot_id.company_id", store=True, index=True)
    parameter_id = fields.Many2one("crm.quality.parameter", required=True, check_company=True)
    unit = fields.Char(related="parameter_id.unit")
    value = fields.Float("Measured Value", digits=(16, 4), help="In the parameter's unit.")
    measured_on = fields.Date(help="Date of the lot's analysis the value comes from.")

    _sql_constraints = [
        ("parameter_unique", "UNIQUE(lot_id, parameter_id)", "A parameter is measured once per lot."),
    ]

    @api.constrains("value")
    def _check_value(self):
        for line in self:
            if line.value < 0:
                raise ValidationError(self.env._(
                    "%(parameter)s of lot %(lot)s: a measured value cannot be negative.",
                    parameter=line.parameter_id.display_name, lot=line.lot_id.display_name))
