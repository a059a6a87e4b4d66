from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import crm_customer_credit_stat as credit

# Accountants see every figure; salespeople see the exposure summary and the signal.
ACCOUNTANTS = "account.group_account_user,account.group_account_manager"
SUMMARY_READERS = "sales_team.group_sale_salesman," + ACCOUNTANTS


def _credit_figure(field_class, name, string, groups=ACCOUNTANTS, **kwargs):
    """A read-only partner field showing the current company's credit figure `name`, searchable."""

    def search(records, operator, value):
        # sudo: the field's groups decide who may search it; salespeople search the summary fields
        # without reading the figures table
        stats = records.env["crm.customer.credit.stat"].sudo()._search([
            ("company_id", "=", records.env.company.id), (name, operator, value)])
        return [("id", "in", stats.subselect("partner_id"))]

    return field_class(string=string, compute="_compute_credit_figures", search=search, groups=groups, **kwargs)


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """Receivables, payment behaviour, credit exposure and silent dissatisfaction of a customer, for
    the current company (figures of crm.customer.credit.stat)."""

    _inherit = "res.partner"

    receivable_open = _credit_figure(fields.Monetary, "receivable_open", "Open Receivables",
                                     currency_field="currency_id", help=credit.RECEIVABLE_OPEN_HELP)
    receivable_overdue = _credit_figure(fields.Monetary, "receivable_overdue", "Overdue Receivables",
                                        currency_field="currency_id", help=credit.RECEIVABLE_OVERDUE_HELP)
    receivable_aging_not_due = _credit_figure(fields.Monetary, "receivable_aging_not_due", "Not Due",
                                              currency_field="currency_id")
    receivable_aging_1_30 = _credit_figure(fields.Monetary, "receivable_aging_1_30", "1-30 Days",
                                           currency_field="currency_id")
    receivable_aging_31_60 = _credit_figure(fields.Monetary, "receivable_aging_31_60", "31-60 Days",
                                            currency_field="currency_id")
    receivable_aging_61_90 = _credit_figure(fields.Monetary, "receivable_aging_61_90", "61-90 Days",
                                            currency_field="currency_id")
    receivable_aging_over_90 = _credit_figure(fields.Monetary, "receivable_aging_over_90", "Over 90 Days",
                                              currency_field="currency_id")
    receivable_disputed = _credit_figure(fields.Monetary, "receivable_disputed", "Disputed",
                                         currency_field="currency_id", help=credit.RECEIVABLE_DISPUTED_HELP)
    overdue_max_days = _credit_figure(fields.Integer, "overdue_max_days", "Oldest Overdue (days)",
                                      help=credit.OVERDUE_MAX_DAYS_HELP)
    draft_invoice_amount = _credit_figure(fields.Monetary, "draft_invoice_amount", "Draft Invoices",
                                          currency_field="currency_id")
    order_to_invoice_amount = _credit_figure(fields.Monetary, "order_to_invoice_amount", "Orders to Invoice",
                                             currency_field="currency_id")
    dso_days = _credit_figure(fields.Float, "dso_days", "DSO, 12 Months (days)", help=credit.DSO_HELP)
    avg_payment_delay_days = _credit_figure(fields.Float, "avg_payment_delay_days", "Average Payment Delay (days)",
                                            help=credit.AVG_DELAY_HELP)
    payment_delay_recent_days = _credit_figure(fields.Float, "payment_delay_recent_days",
                                               "Payment Delay, Last 3 Months (days)", help=credit.RECENT_DELAY_HELP)
    payment_delay_previous_days = _credit_figure(fields.Float, "payment_delay_previous_days",
                                                 "Payment Delay, 6 Months Before (days)",
                                                 help=credit.PREVIOUS_DELAY_HELP)
    payment_delay_trend = _credit_figure(fields.Selection, "payment_delay_trend", "Payment Delay Trend",
                                         selection=credit.TRENDS, help=credit.TREND_HELP)
    credit_exposure = _credit_figure(fields.Monetary, "credit_exposure", "Credit Exposure",
                                     groups=SUMMARY_READERS, currency_field="currency_id",
                                     help=credit.EXPOSURE_HELP)
    credit_usage = fields.Float(
        "Credit Limit Used (%)", compute="_compute_credit_usage", search="_search_credit_usage",
        groups=SUMMARY_READERS,
        help="Credit exposure as a percentage of the customer's credit limit in Odoo; empty when the company "
        "does not use credit limits or the customer has none.")
    silent_dissatisfaction = _credit_figure(fields.Boolean, "silent_dissatisfaction", "Silent Dissatisfaction",
                                            groups=SUMMARY_READERS, help=credit.SILENT_HELP)
    silent_dissatisfaction_reason = fields.Char(
        compute="_compute_credit_figures", groups=SUMMARY_READERS,
        help="Why silent dissatisfaction is raised, with the figures behind it.")

    @api.depends_context("company")
    def _compute_credit_figures(self):
        """Read with the key-account figures and the visit plan, in one query
        (res_partner_key_account.py, _compute_key_account_figures): the customer form shows them all."""
        self._compute_key_account_figures()

    def _credit_figure_names(self):
        return [name for name in self.env["crm.customer.credit.stat"]._figure_columns() if name in self._fields]

    def _cache_credit_figures(self, names, rows, customer_ids):
        """Put in the cache, for all these partners at once (a customer list reads thousands: one
        assignment per partner and figure cost more than the query), the credit figures `names`
        followed by the current rating's grade and review date, as read from the tables (one row
        per partner, empty when it has none)."""
        cache = self.env.cache
        for index, name in enumerate(names):
            field = self._fields[name]
            empty = field.convert_to_cache(False, self)
            values = [row[index] if row else None for row in rows]
            # the values come from the figures table as stored: no conversion, no business logic
            cache.update(self, field, [empty if value is None else value for value in values])
        ratings = [row[-2:] if row else (None, None) for row in rows]
        # crm.credit.rating's review_due: the current rating's review date has passed
        today = fields.Date.context_today(self)
        cache.update(self, self._fields["credit_rating"], [grade or False for grade, _date in ratings])
        cache.update(self, self._fields["credit_review_date"], [review or False for _grade, review in ratings])
        cache.update(self, self._fields["credit_review_due"],
                     [bool(review and review < today) for _grade, review in ratings])
        signal = names.index("silent_dissatisfaction")
        signaled = list({customer_id for customer_id, row in zip(customer_ids, rows, strict=True)
                         if row and row[signal]})
        reasons = {}
        if signaled:
            # sudo: the partner fields' groups decide who reads which figure
            stats = self.env["crm.customer.credit.stat"].sudo().search([
                ("partner_id", "in", signaled), ("company_id", "=", self.env.company.id)])
            reasons = {stat.partner_id.id: stat._silent_dissatisfaction_text() for stat in stats}
        cache.update(self, self._fields["silent_dissatisfaction_reason"],
                     [reasons.get(customer_id, False) for customer_id in customer_ids])

    @api.depends_context("company")
    def _compute_credit_usage(self):
        company = self.env.company
        for partner in self:
            # sudo: Odoo keeps the credit limit for accountants; salespeople see only the percentage
            limit = partner.commercial_partner_id.sudo().credit_limit
            partner.credit_usage = (
                100 * partner.credit_exposure / limit if company.account_use_credit_limit and limit > 0 else False)

    def _search_credit_usage(self, operator, value):
        """Customers by credit-limit usage in one query (e.g. "over the limit": > 100)."""
        if operator not in (">", ">=", "<", "<=") or isinstance(value, bool) \
                or not isinstance(value, (int, float)):
            raise UserError(self.env._("Search the credit limit used with >, >=, < or <= and a number."))
        company = self.env.company
        if not company.account_use_credit_limit:
            return [(0, "=", 1)]
        # sudo: the field's groups decide who may search it; salespeople see the percentage only
        Partner = self.sudo().with_company(company)
        query = Partner._search([("credit_limit", ">", 0)])
        limit = Partner._field_to_sql(query.table, "credit_limit", query)
        stat = query.join(query.table, "id", "crm_customer_credit_stat", "partner_id", "credit_stat")
        query.add_where(SQL("%s = %s", SQL.identifier(stat, "company_id"), company.id))
        query.add_where(SQL("100 * %s / %s %s %s", SQL.identifier(stat, "credit_exposure"), limit,
                            SQL(operator), value))
        return [("commercial_partner_id", "in", query)]
