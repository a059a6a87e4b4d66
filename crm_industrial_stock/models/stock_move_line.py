from odoo import api, fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    spec_failures = fields.Text(
        "Specification Failures", compute="_compute_spec_failures", groups="base.group_user",
        help="On a sales delivery: the customer's quality specification parameters this lot fails, and by "
        "how much. The lot's measured values win over its product's; a parameter measured on neither "
        "fails as not measured.")

    @api.depends("lot_id", "quantity", "product_id", "company_id", "picking_id.sale_id.partner_id",
                 "picking_id.partner_id", "picking_id.picking_type_id")
    @api.depends_context("lang")
    def _compute_spec_failures(self):
        self.spec_failures = False
        Spec = self.env["crm.customer.spec"]
        # only what leaves: a lot line without quantity ships nothing
        lines = self.filtered(lambda line: line.lot_id and line.quantity > 0 and line.picking_id._spec_checked())
        for company in lines.company_id:
            company_lines = lines.filtered(lambda line: line.company_id == company)  # noqa: B023
            customers = company_lines.picking_id.mapped(lambda picking: picking._spec_customer())
            specs = Spec._specs_for(customers, company)
            product_values = company_lines.product_id.product_tmpl_id._quality_values()
            lot_values = company_lines.lot_id._quality_values()
            for line in company_lines:
                customer = line.picking_id._spec_customer()
                spec = Spec._applicable_spec(specs.get(customer.id, Spec.sudo().browse()), line.product_id)
                failures = []
                for spec_line in spec.line_ids:
                    parameter = spec_line.parameter_id.id
                    product_value = product_values.get((line.product_id.product_tmpl_id.id, parameter))
                    value = lot_values.get((line.lot_id.id, parameter), product_value)
                    if failure := spec_line._failure(value):
                        failures.append(failure)
                line.spec_failures = "\n".join(failures) or False

    def _spec_failure_label(self):
        """'Lot L-01 of Thermal Coal: Sulphur: ...; Ash: ...', in the environment's language."""
        self.ensure_one()
        return self.env._("Lot %(lot)s of %(product)s: %(failures)s", lot=self.lot_id.name,
                          product=self.product_id.display_name,
                          failures=(self.spec_failures or "").replace("\n", "; "))
