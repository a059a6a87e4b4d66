from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    spec_failures = fields.Text(
        "Specification Failures", compute="_compute_spec_failures",
        help="The customer's quality specification parameters this product fails, and by how much; "
        "a parameter without a measured value on the product fails as not measured.")
    spec_id = fields.Many2one("crm.customer.spec", "Quality Specification", compute="_compute_spec_failures")

    @api.depends("product_id", "order_id.partner_id", "order_id.company_id")
    @api.depends_context("lang")
    def _compute_spec_failures(self):
        self.spec_failures = False
        self.spec_id = False
        Spec = self.env["crm.customer.spec"]
        lines = self.filtered(lambda line: line.product_id and line.order_id.partner_id and not line.display_type)
        for company in lines.order_id.company_id:
            company_lines = lines.filtered(lambda line: line.order_id.company_id == company)  # noqa: B023
            # read with the customers' figures, which the order's credit banner reads anyway: most
            # customers have no specification, and searching for one cost a query
            customers = company_lines.order_id.partner_id.commercial_partner_id.with_company(company).filtered(
                "has_quality_spec")
            specs = Spec._specs_for(customers, company)
            if not specs:
                continue  # no specification of these customers: no product's values to read
            values = company_lines.product_id.product_tmpl_id._quality_values()
            for line in company_lines:
                spec = Spec._applicable_spec(
                    specs.get(line.order_id.partner_id.commercial_partner_id.id, Spec.sudo().browse()),
                    line.product_id)
                if not spec:
                    continue
                line.spec_id = spec.sudo(False)
                template = line.product_id.product_tmpl_id.id
                failures = [failure for spec_line in spec.line_ids if (failure := spec_line._failure(
                    values.get((template, spec_line.parameter_id.id))))]
                line.spec_failures = "\n".join(failures) or False
