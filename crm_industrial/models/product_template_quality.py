from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    quality_value_ids = fields.One2many(
        "crm.product.quality.value", "product_tmpl_id", "Measured Quality",
        help="The product's measured quality parameters, checked against customers' specifications.")

    def _quality_values(self):
        """{(template id, parameter id): value} of these products."""
        # sudo: measured values decide a quotation's check; whoever sells may not read them all
        values = self.env["crm.product.quality.value"].sudo().search([("product_tmpl_id", "in", self.ids)])
        return {(value.product_tmpl_id.id, value.parameter_id.id): value.value for value in values}
