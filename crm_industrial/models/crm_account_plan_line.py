from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .crm_account_plan import EXECUTION_HELP, INVOICED_HELP

PERIODS = [
    ("year", "Whole Year"),
    ("q1", "Q1 (Jan-Mar)"),
    ("q2", "Q2 (Apr-Jun)"),
    ("q3", "Q3 (Jul-Sep)"),
    ("q4", "Q4 (Oct-Dec)"),
]
FIGURES = ("actual_order_qty", "actual_order_amount", "actual_invoiced_qty", "actual_invoiced_amount")


class CrmAccountPlanLine(models.Model):
    """One line of the customer's purchase plan: a product category over the whole year or one quarter,
    with the quantity and amount planned, and what was really ordered and invoiced."""

    _name = "crm.account.plan.line"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Account Plan Line"
    _order = "plan_id, categ_id, period, id"
    _check_company_auto = True

    plan_id = fields.Many2one("crm.account.plan", "Account Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    year = fields.Integer(related="plan_id.year", store=True, aggregator=False)
    categ_id = fields.Many2one(
        "product.category", "Product Category", required=True,
        help="Sales of products in this category and its sub-categories count here, unless a sub-category "
        "has a line of its own in the plan: each sale counts under the most specific planned category.")
    period = fields.Selection(
        PERIODS, required=True, default="year",
        help="A category is planned for the whole year or by quarter, not both: each sale counts in one period.")
    uom_id = fields.Many2one(
        "uom.uom", "Unit", required=True, compute="_compute_uom_id", store=True, readonly=False, precompute=True,
        help="The unit of the planned quantity. Sales in other units of the same kind (kg, tonnes) are "
        "converted; sales in units of another kind count in the amount only.")
    planned_qty = fields.Float("Planned Quantity", digits="Product Unit of Measure")
    planned_amount = fields.Monetary(currency_field="currency_id", help="Untaxed, in company currency.")
    actual_order_qty = fields.Float("Ordered Quantity", compute="_compute_execution", digits="Product Unit of Measure",
                                    help="Quantity on confirmed sales orders dated in the period, in the line's unit.")
    actual_order_amount = fields.Monetary(
        "Ordered", compute="_compute_execution", currency_field="currency_id",
        help="Confirmed sales orders dated in the period, untaxed, in company currency.")
    actual_invoiced_qty = fields.Float(
        "Invoiced Quantity", compute="_compute_execution", digits="Product Unit of Measure",
        help="Quantity on posted invoices minus credit notes dated in the period, in the line's unit.")
    actual_invoiced_amount = fields.Monetary(
        "Invoiced", compute="_compute_execution", currency_field="currency_id",
        help="Posted invoices minus credit notes dated in the period, untaxed, in company currency.")
    execution_rate = fields.Float("Execution (%)", compute="_compute_execution", help=EXECUTION_HELP)
    invoiced_rate = fields.Float("Invoiced (%)", compute="_compute_execution", help=INVOICED_HELP)
    qty_incomplete = fields.Boolean(
        "Quantity Incomplete", compute="_compute_execution",
        help="Some sales were in a unit that does not convert to the line's unit: their amount counts, "
        "their quantity does not.")

    @api.depends("categ_id")
    def _compute_uom_id(self):
        unit = self.env.ref("uom.product_uom_unit")
        for line in self.filtered(lambda line: not line.uom_id):
            # sudo: the unit most products of the category are sold in, only to propose it
            product = self.env["product.template"].sudo().search([("categ_id", "child_of", line.categ_id.ids)],
                                                                 limit=1) if line.categ_id else None
            line.uom_id = product.uom_id if product else unit

    @api.depends("plan_id.partner_id", "plan_id.company_id", "plan_id.year", "categ_id", "period", "uom_id",
                 "planned_amount", "plan_id.line_ids.categ_id")
    def _compute_execution(self):
        for name in FIGURES:
            self[name] = 0.0
        self.qty_incomplete = False
        real = self.filtered("id")
        if real:
            real._fill_execution()
        for line in self:
            planned = line.planned_amount
            line.execution_rate = 100 * line.actual_order_amount / planned if planned > 0 else 0.0
            line.invoiced_rate = 100 * line.actual_invoiced_amount / planned if planned > 0 else 0.0

    def _fill_execution(self):
        """Actual figures of these lines from one query: rows (line, source, unit, quantity, amount)."""
        self.env.flush_all()
        self.env.cr.execute(self._execution_query(SQL("line.id = ANY(%s)", self.ids)))
        rows = self.env.cr.fetchall()
        units = self.env["uom.uom"].browse({uom_id for _line, _source, uom_id, _qty, _amount in rows if uom_id})
        totals = defaultdict(float)
        incomplete = set()
        for line_id, source, uom_id, qty, amount in rows:
            line = self.browse(line_id)
            totals[line_id, f"actual_{source}_amount"] += amount or 0.0
            from_uom = units.browse(uom_id) if uom_id else line.uom_id
            if from_uom.category_id != line.uom_id.category_id:
                incomplete.add(line_id)
                continue
            totals[line_id, f"actual_{source}_qty"] += from_uom._compute_quantity(qty or 0.0, line.uom_id, round=False)
        for line in self:
            for name in FIGURES:
                line[name] = line.currency_id.round(totals[line.id, name]) if name.endswith("amount") \
                    else totals[line.id, name]
            line.qty_incomplete = line.id in incomplete

    @api.model
    def _execution_query(self, lines):
        """Sales of the plans of the `lines` (an SQL condition on `line`) in their customers, companies and
        years, each matched to the line of its plan with the most specific category holding the product,
        in the period of its date. The one home of the execution rule: the plan lines' figures and the
        execution analysis (crm.account.plan.execution) both read it.

        Orders: confirmed, by order date (in the time zone of the company's address, else UTC: the
        company's calendar decides the period), quantity ordered, untaxed amount converted at the order's
        rate. Invoices: posted invoices and credit notes (negative), by invoice date, untaxed balance in
        company currency. Rows: line id, source ('order' or 'invoiced'), unit, quantity, amount.
        """
        return SQL("""
            WITH plan_line AS (
                SELECT line.id, line.plan_id, line.categ_id, line.period, plan.partner_id, plan.company_id,
                       plan.year, categ.parent_path
                  FROM crm_account_plan_line line
                  JOIN crm_account_plan plan ON plan.id = line.plan_id
                  JOIN product_category categ ON categ.id = line.categ_id
                 WHERE line.plan_id IN (SELECT line.plan_id FROM crm_account_plan_line line WHERE %(lines)s)
            ), scope AS (
                SELECT DISTINCT plan_line.partner_id, plan_line.company_id, plan_line.year,
                       COALESCE(NULLIF(company_address.tz, ''), 'UTC') AS tz
                  FROM plan_line
                  JOIN res_company company ON company.id = plan_line.company_id
                  JOIN res_partner company_address ON company_address.id = company.partner_id
            ), sold AS (
                SELECT 'order' AS source, customer.commercial_partner_id AS partner_id, sale.company_id,
                       (sale.date_order AT TIME ZONE 'UTC' AT TIME ZONE scope.tz)::date AS date,
                       line.product_id, line.product_uom AS uom_id, line.product_uom_qty AS qty,
                       line.price_subtotal / COALESCE(NULLIF(sale.currency_rate, 0), 1) AS amount
                  FROM sale_order_line line
                  JOIN sale_order sale ON sale.id = line.order_id
                  JOIN res_partner customer ON customer.id = sale.partner_id
                  JOIN scope ON scope.partner_id = customer.commercial_partner_id
                            AND scope.company_id = sale.company_id
                            AND scope.year = EXTRACT(YEAR FROM sale.date_order AT TIME ZONE 'UTC' AT TIME ZONE scope.tz)
                 WHERE sale.state = 'sale' AND line.display_type IS NULL AND line.product_id IS NOT NULL
                UNION ALL
                SELECT 'invoiced', move.commercial_partner_id, line.company_id, move.invoice_date,
                       line.product_id, line.product_uom_id,
                       CASE WHEN move.move_type = 'out_refund' THEN -line.quantity ELSE line.quantity END,
                       -line.balance
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN scope ON scope.partner_id = move.commercial_partner_id AND scope.company_id = line.company_id
                            AND scope.year = EXTRACT(YEAR FROM move.invoice_date)
                 WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product' AND line.product_id IS NOT NULL
            ), placed AS (
                SELECT sold.*, best.categ_id
                  FROM sold
                  JOIN product_product product ON product.id = sold.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN product_category categ ON categ.id = template.categ_id
                  JOIN LATERAL (
                      SELECT plan_line.categ_id FROM plan_line
                       WHERE plan_line.partner_id = sold.partner_id AND plan_line.company_id = sold.company_id
                         AND plan_line.year = EXTRACT(YEAR FROM sold.date)
                         AND categ.parent_path LIKE plan_line.parent_path || %(any)s
                       ORDER BY length(plan_line.parent_path) DESC LIMIT 1
                  ) best ON TRUE
            )
            SELECT plan_line.id, placed.source, placed.uom_id, SUM(placed.qty), SUM(placed.amount)
              FROM placed
              JOIN plan_line ON plan_line.partner_id = placed.partner_id AND plan_line.company_id = placed.company_id
                            AND plan_line.year = EXTRACT(YEAR FROM placed.date)
                            AND plan_line.categ_id = placed.categ_id
                            AND (plan_line.period = 'year'
                                 OR plan_line.period = 'q' || EXTRACT(QUARTER FROM placed.date)::int)
             WHERE plan_line.id IN (SELECT line.id FROM crm_account_plan_line line WHERE %(lines)s)
             GROUP BY plan_line.id, placed.source, placed.uom_id
        """, lines=lines, any="%")

    # ------------------------------------------------------------ constraints

    @api.constrains("planned_qty", "planned_amount")
    def _check_planned_figures(self):
        for line in self:
            if line.planned_qty < 0 or line.planned_amount < 0:
                raise ValidationError(self.env._(
                    "%(category)s: the planned quantity and amount cannot be negative.",
                    category=line.categ_id.display_name))

    @api.constrains("categ_id", "period", "plan_id")
    def _check_periods(self):
        for line in self:
            same = line.plan_id.line_ids.filtered(lambda other: other.categ_id == line.categ_id)  # noqa: B023
            periods = same.mapped("period")
            if len(periods) != len(set(periods)):
                raise ValidationError(self.env._(
                    "%(category)s is planned twice for the same period.", category=line.categ_id.display_name))
            if "year" in periods and len(periods) > 1:
                raise ValidationError(self.env._(
                    "%(category)s is planned for the whole year or by quarter, not both: a sale would count twice.",
                    category=line.categ_id.display_name))
