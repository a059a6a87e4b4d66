from odoo import fields, models, tools
from odoo.tools import SQL

from .crm_account_plan_line import PERIODS

# The rates of the execution and the amount each is a share of (over the planned amount).
RATE_OF = {"execution_rate": "ordered_amount", "invoiced_rate": "invoiced_amount"}


class CrmAccountPlanExecution(models.Model):
    """Plan against actual per plan line, for the pivot and graph of account plans (a database view over
    the same execution query as the plan lines' figures)."""

    _name = "crm.account.plan.execution"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Account Plan Execution"
    _auto = False
    _order = "year desc, partner_id"

    plan_id = fields.Many2one("crm.account.plan", "Account Plan", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Plan Owner", readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    period = fields.Selection(PERIODS, readonly=True)
    planned_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    ordered_amount = fields.Monetary(
        "Ordered", currency_field="currency_id", readonly=True,
        help="Confirmed sales orders of the line's category and period, untaxed, in company currency.")
    invoiced_amount = fields.Monetary(
        "Invoiced", currency_field="currency_id", readonly=True,
        help="Posted invoices minus credit notes of the line's category and period, untaxed, in company currency.")
    remaining_amount = fields.Monetary(
        "Still to Order", currency_field="currency_id", readonly=True,
        help="Planned minus ordered, when the order falls short of the plan.")
    execution_rate = fields.Float(
        "Execution (%)", readonly=True, aggregator="avg",
        help="Ordered as a share of planned. Grouped (by year, customer, category), it is the group's ordered "
        "amount over its planned amount, not an average of the lines' shares.")
    invoiced_rate = fields.Float(
        "Invoiced (%)", readonly=True, aggregator="avg",
        help="Invoiced as a share of planned, grouped the same way as the execution.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        execution = self.env["crm.account.plan.line"]._execution_query(SQL("TRUE"))
        self.env.cr.execute(SQL("""
            CREATE VIEW %(table)s AS (
                SELECT line.id, line.plan_id, plan.partner_id, plan.company_id, plan.user_id, plan.year,
                       line.categ_id, line.period, COALESCE(line.planned_amount, 0) AS planned_amount,
                       COALESCE(actual.ordered, 0) AS ordered_amount, COALESCE(actual.invoiced, 0) AS invoiced_amount,
                       GREATEST(COALESCE(line.planned_amount, 0) - COALESCE(actual.ordered, 0), 0) AS remaining_amount,
                       COALESCE(100 * actual.ordered / NULLIF(line.planned_amount, 0), 0) AS execution_rate,
                       COALESCE(100 * actual.invoiced / NULLIF(line.planned_amount, 0), 0) AS invoiced_rate
                  FROM crm_account_plan_line line
                  JOIN crm_account_plan plan ON plan.id = line.plan_id
                  LEFT JOIN (
                      SELECT execution.line_id,
                             SUM(execution.amount) FILTER (WHERE execution.source = 'order') AS ordered,
                             SUM(execution.amount) FILTER (WHERE execution.source = 'invoiced') AS invoiced
                        FROM (%(execution)s) AS execution(line_id, source, uom_id, qty, amount)
                       GROUP BY execution.line_id
                  ) actual ON actual.line_id = line.id
            )
        """, table=SQL.identifier(self._table), execution=execution))

    def _read_group_select(self, aggregate_spec, query):
        """A group's execution is its amounts' ratio (a share of sums), whatever aggregate is asked."""
        fname = aggregate_spec.split(":")[0]
        if fname in RATE_OF:
            actual = self._field_to_sql(self._table, RATE_OF[fname], query)
            planned = self._field_to_sql(self._table, "planned_amount", query)
            return SQL("COALESCE(100 * SUM(%s) / NULLIF(SUM(%s), 0), 0)", actual, planned)
        return super()._read_group_select(aggregate_spec, query)
