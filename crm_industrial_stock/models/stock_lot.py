from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    quality_value_ids = fields.One2many(
        "crm.lot.quality.value", "lot_id", "Measured Quality",
        help="The lot's measured quality parameters. On a customer delivery they are checked against the "
        "customer's specification; a parameter the lot does not carry is taken from the product.")

    def _quality_values(self):
        """{(lot id, parameter id): value} of these lots."""
        # sudo: measured values decide a delivery's check; whoever ships may not read them all
        values = self.env["crm.lot.quality.value"].sudo().search([("lot_id", "in", self.ids)])
        return {(value.lot_id.id, value.parameter_id.id): value.value for value in values}
