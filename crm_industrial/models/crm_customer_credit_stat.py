from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists

# Payment delays within this many days of each other are "stable".
TREND_STABLE_DAYS = 3
DIRTY_KEY = "crm_industrial.credit_dirty"
# the pairs whose held orders are checked again at the commit (_mark_dirty)
RECHECK_KEY = "crm_industrial.credit_recheck"

# Indexes on Odoo's tables that answer the refresh of one customer from the index alone, without
# visiting the table's rows (name, table, key columns, included columns, condition). Created by
# init() at install and on upgrade (-u) when missing (no migration script), dropped by the
# uninstall hook.
COVERING_INDEXES = [
    # A customer's invoices and credit notes by commercial partner with what its invoiced figures
    # read (DSO, draft invoices), not the largest customer's 7,000 invoices scattered over the
    # moves table (Odoo indexes the moves by partner only).
    ("crm_industrial_move_customer_invoice_index", "account_move", ["commercial_partner_id", "company_id"],
     ["state", "move_type", "invoice_date", "amount_total_signed"],
     "move_type IN ('out_invoice', 'out_refund', 'out_receipt') AND state IN ('draft', 'posted')"),
    # The payment delays look up the reconciliations of each of the customer's receivable items
    # (7,300 for the largest; nothing stored says which were paid in the last 12 months), then the
    # invoice of each payment of the year, its payment item and that item's entry (3,200 each):
    # the payment date, amount and paying item, the entry of an item and the type of an entry
    # read from these indexes.
    ("crm_industrial_partial_debit_date_index", "account_partial_reconcile", ["debit_move_id", "max_date"],
     ["credit_move_id", "amount"], ""),
    ("crm_industrial_aml_move_index", "account_move_line", ["id"], ["move_id"], ""),
    ("crm_industrial_move_type_index", "account_move", ["id"], ["move_type"], ""),
]

RECEIVABLE_OPEN_HELP = (
    "What the customer owes this company: the unreconciled amounts of its posted receivable journal "
    "items, in company currency (Odoo's 'Total Receivable' for this company). Unapplied payments and "
    "credit notes count as negative amounts; disputed items are included.")
RECEIVABLE_OVERDUE_HELP = (
    "Open receivables past their due date, disputed items left out (they are shown apart). Unapplied "
    "payments and credit notes are set against the oldest amounts first, as a collector would: a "
    "customer who paid without saying for which invoice is not shown as overdue for it.")
RECEIVABLE_DISPUTED_HELP = (
    "Open receivables of invoices whose payment is blocked in accounting (Odoo's 'Block Payment'): "
    "disputed, shown apart and left out of the overdue amount and the aging buckets.")
OVERDUE_MAX_DAYS_HELP = "Days past the due date of the oldest overdue, undisputed amount the customer still owes."
DSO_HELP = (
    "Days Sales Outstanding over the trailing 12 months: open receivables / invoiced in the last 12 "
    "months (taxes included, credit notes deducted) × the days since the start of those 12 months, or "
    "since the first invoice when it is more recent. When every invoice is less than 12 months old "
    "this is Odoo's own DSO.")
AVG_DELAY_HELP = (
    "Average days late of the payments received in the last 12 months on the customer's invoices, "
    "weighted by the amount paid: each payment (or partial payment) counts the days between the due "
    "date of the installment it paid and the payment date, 0 when paid on time. Credit notes are not "
    "payments and do not count.")
RECENT_DELAY_HELP = "The same average over the payments of the last 3 months."
PREVIOUS_DELAY_HELP = "The same average over the payments of the 6 months before the last 3."
TREND_HELP = (
    "Last 3 months against the 6 months before: worsening when the customer pays more than 3 days "
    "later on average, improving when more than 3 days earlier, stable otherwise; empty without "
    "payments in both periods.")
EXPOSURE_HELP = (
    "Open receivables + draft customer invoices and credit notes + confirmed orders not yet invoiced "
    "(as Odoo counts them for its credit limit, when the company uses credit limits), in company "
    "currency.")
SILENT_HELP = (
    "Only about one dissatisfied customer in ten complains; the others pay later or buy less. Raised "
    "while the customer has no open complaint and pays clearly later than before, has an amount overdue "
    "beyond the company's limit, or its next order is overdue; cleared when this no longer holds.")
SILENT_REASONS = [
    ("payment_delay", "Paying Later"),
    ("overdue", "Long Overdue"),
    ("orders", "Ordering Less"),
]
TRENDS = [("improving", "Improving"), ("stable", "Stable"), ("worsening", "Worsening")]


class CrmCustomerCreditStat(models.Model):
    """A customer's receivables and payment behaviour for one company, in company currency.

    Like the key-account figures, they live in their own table so that neither the nightly
    refresh nor a payment ever rewrites res.partner: rows are written in bulk by one SQL upsert
    that leaves unchanged rows alone.
    """

    _name = "crm.customer.credit.stat"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Customer Credit Figures"
    _order = "receivable_overdue desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True,
                                 readonly=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one("crm.key.account.tier", readonly=True,
                              help="The customer's key-account tier in this company.")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    receivable_open = fields.Monetary("Open Receivables", readonly=True, help=RECEIVABLE_OPEN_HELP)
    receivable_overdue = fields.Monetary("Overdue", readonly=True, help=RECEIVABLE_OVERDUE_HELP)
    receivable_aging_not_due = fields.Monetary(
        "Not Due", readonly=True,
        help="Open receivables not yet due, disputed items left out; less the unapplied payments and credit "
        "notes left once every older amount is covered (negative when the customer is in credit).")
    receivable_aging_1_30 = fields.Monetary("1-30 Days", readonly=True,
                                            help="Open receivables 1 to 30 days past due, disputed items left out.")
    receivable_aging_31_60 = fields.Monetary(
        "31-60 Days", readonly=True, help="Open receivables 31 to 60 days past due, disputed items left out.")
    receivable_aging_61_90 = fields.Monetary(
        "61-90 Days", readonly=True, help="Open receivables 61 to 90 days past due, disputed items left out.")
    receivable_aging_over_90 = fields.Monetary(
        "Over 90 Days", readonly=True, help="Open receivables more than 90 days past due, disputed items left out.")
    receivable_disputed = fields.Monetary("Disputed", readonly=True, help=RECEIVABLE_DISPUTED_HELP)
    overdue_max_days = fields.Integer("Oldest Overdue (days)", aggregator="max", readonly=True,
                                      help=OVERDUE_MAX_DAYS_HELP)
    draft_invoice_amount = fields.Monetary(
        "Draft Invoices", readonly=True, help="Draft customer invoices minus draft credit notes, taxes included.")
    order_to_invoice_amount = fields.Monetary(
        "Orders to Invoice", readonly=True,
        help="Confirmed orders not yet invoiced, taxes included: Odoo's 'credit to invoice', which it counts "
        "only when the company uses credit limits.")
    credit_exposure = fields.Monetary(readonly=True, help=EXPOSURE_HELP)
    dso_days = fields.Float("DSO (days)", aggregator="avg", readonly=True, help=DSO_HELP)
    avg_payment_delay_days = fields.Float("Average Payment Delay (days)", aggregator="avg", readonly=True,
                                          help=AVG_DELAY_HELP)
    payment_delay_recent_days = fields.Float("Payment Delay, Last 3 Months (days)", aggregator="avg",
                                             readonly=True, help=RECENT_DELAY_HELP)
    payment_delay_previous_days = fields.Float("Payment Delay, 6 Months Before (days)", aggregator="avg",
                                               readonly=True, help=PREVIOUS_DELAY_HELP)
    payment_delay_trend = fields.Selection(TRENDS, readonly=True, help=TREND_HELP)
    silent_dissatisfaction = fields.Boolean(readonly=True, help=SILENT_HELP)
    silent_dissatisfaction_code = fields.Selection(
        SILENT_REASONS, "Silent Dissatisfaction Cause", readonly=True,
        help="The first of the causes that holds: paying later, long overdue, ordering less.")
    silent_notified = fields.Boolean(readonly=True, help="The account owner was asked to call the customer.")
    computed_at = fields.Datetime("Figures Changed On", readonly=True,
                                  help="When the refresh last changed these figures.")

    _sql_constraints = [
        ("partner_company_unique", "UNIQUE(partner_id, company_id)", "One row of figures per customer and company."),
    ]

    def init(self):
        # A customer's receivable items by partner and account, paid ones included (Odoo indexes the
        # unreconciled ones only): the refresh after a payment reads the customer's paid invoices of
        # the last 12 months through it, not all the customer's journal items. Created here at
        # install and on upgrade (-u) when missing: no migration script.
        create_index(self.env.cr, "crm_industrial_aml_partner_account_index", "account_move_line",
                     ["partner_id", "account_id"])
        # The order lines left to invoice, by customer: a customer's orders to invoice (its credit
        # exposure) without reading all its confirmed orders. Small: most lines are invoiced.
        create_index(self.env.cr, "crm_industrial_sol_to_invoice_index", "sale_order_line",
                     ["order_partner_id"], where="untaxed_amount_to_invoice > 0")
        # Indexes with included columns (create_index() cannot name them), see COVERING_INDEXES
        for name, table, columns, include, where in COVERING_INDEXES:
            if not index_exists(self.env.cr, name):
                self.env.cr.execute(SQL(
                    "CREATE INDEX %s ON %s (%s) INCLUDE (%s)%s", SQL.identifier(name), SQL.identifier(table),
                    SQL(", ").join(SQL.identifier(column) for column in columns),
                    SQL(", ").join(SQL.identifier(column) for column in include),
                    SQL(" WHERE %s", SQL(where)) if where else SQL()))

    # ----------------------------------------------------------------- actions

    def action_open_customer(self):
        """A row of the figures opens its customer."""
        self._ensure_one_record()
        return self.partner_id._form_action()

    # ----------------------------------------------------------------- refresh

    @api.model
    def _cron_refresh(self):
        """Nightly: every customer of every company, in bulk."""
        # sudo: the nightly refresh covers every company, whoever runs the job
        for company in self.env["res.company"].sudo().search([]):
            self.sudo().with_company(company)._refresh()
            self.env["crm.credit.hold"].with_company(company)._recheck(company)

    @api.model
    def _refresh(self, partners=None):
        """Recompute the current company's figures of every customer, or of the given commercial
        partners only (cheap: the query then reads just their journal items and orders)."""
        company = self.env.company
        self.env.flush_all()
        to_invoice = self._orders_to_invoice(company, partners)
        figures = self._figures_query(company, fields.Date.context_today(self), partners, to_invoice)
        if partners is not None:
            # a few customers (a payment, an order): one statement, the figures as a CTE of the
            # upsert (this runs at the commit of the user's request)
            self.env.cr.execute(SQL("WITH crm_credit_figures_new AS (%s) %s", figures, self._upsert_query(company)))
        else:
            # every customer: the figures are computed into a temporary table first, PostgreSQL runs
            # that SELECT with parallel workers, which it never does for the SELECT of an
            # INSERT ... ON CONFLICT
            self.env.cr.execute(SQL("CREATE TEMPORARY TABLE crm_credit_figures_new ON COMMIT DROP AS %s", figures))
            self.env.cr.execute(self._upsert_query(company))
            self.env.cr.execute(SQL("DROP TABLE crm_credit_figures_new"))
        self.invalidate_model()
        # the partners show these figures through non-stored fields: drop what they cached
        Partner = self.env["res.partner"]
        Partner.invalidate_model([name for name in self._figure_columns() + ["silent_dissatisfaction_reason",
                                                                             "credit_usage"]
                                  if name in Partner._fields])
        self._notify_silent_dissatisfaction(company, partners)

    @api.model
    def _mark_dirty(self, pairs, may_free_holds=True):
        """Refresh these (company id, commercial partner id) pairs just before the transaction commits,
        once however many documents changed, and check their held orders again then, unless the
        change cannot free one (`may_free_holds` False: a confirmation only adds to the exposure)."""
        precommit = self.env.cr.precommit
        dirty = precommit.data.setdefault(DIRTY_KEY, set())
        pairs = {(company_id, partner_id) for company_id, partner_id in pairs if company_id and partner_id}
        if may_free_holds:
            precommit.data.setdefault(RECHECK_KEY, set()).update(pairs)
        if pairs <= dirty:
            return
        if not dirty:
            precommit.add(self._refresh_dirty)
        dirty |= pairs

    @api.model
    def _refresh_dirty(self):
        dirty = self.env.cr.precommit.data.pop(DIRTY_KEY, set())
        recheck = self.env.cr.precommit.data.pop(RECHECK_KEY, set())
        by_company = {}
        for company_id, partner_id in dirty:
            by_company.setdefault(company_id, set()).add(partner_id)
        # sudo: the figures are derived from the documents whoever changed them, and the user who
        # posted a payment may not read the figures table
        Stat = self.sudo()
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            # not checked for existence (a query at every commit): the refresh reads these ids in
            # SQL joined to the partners table, and a partner deleted since has no figures to write
            partners = self.env["res.partner"].browse(partner_ids)
            Stat.with_company(company)._refresh(partners)
            # a payment, a credit note or a cancelled order may free the customer's held orders (a
            # confirmation cannot: no search for them at each confirmation's commit)
            freeing = partners.browse([partner_id for partner_id in partner_ids if (company_id, partner_id) in recheck])
            if freeing:
                self.env["crm.credit.hold"].with_company(company)._recheck(company, freeing)
        # the transaction's flush ran before this hook: write what the activities left pending
        self.env.flush_all()

    @api.model
    def _orders_to_invoice(self, company, partners=None):
        """{commercial partner id: amount} of Odoo's own `credit_to_invoice` (sale: the amount to
        invoice of the confirmed orders that have something left to invoice, per ordering partner
        and currency converted at today's rate), summed per commercial partner; nothing when the
        company does not use credit limits. Those orders' lines are found in one query, and their
        amounts to invoice read as Odoo computes them: this runs at the commit of every
        confirmation, where searching the partners, then their orders, then the orders' lines
        cost four queries."""
        if not company.account_use_credit_limit:
            return {}
        # a few customers: their orders with something to invoice found from the lines to invoice,
        # through this model's partial index (see init()), rather than reading each of the
        # customer's confirmed orders (7,000 for the largest) to look for one (the lines' customer
        # is their order's, a stored related field)
        due_scope = SQL("TRUE") if partners is None else SQL("""
            sale.id IN (SELECT due.order_id FROM sale_order_line due
                         WHERE due.untaxed_amount_to_invoice > 0 AND due.order_partner_id IN (
                               SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s)))
        """, partners.ids)
        rows = self.env.execute_query(SQL("""
            SELECT line.id, sale.partner_id, partner.commercial_partner_id, sale.currency_id
              FROM sale_order sale
              JOIN res_partner partner ON partner.id = sale.partner_id
              JOIN sale_order_line line ON line.order_id = sale.id
             WHERE sale.company_id = %(company)s AND sale.state = 'sale' AND %(scope)s
               AND EXISTS (SELECT 1 FROM sale_order_line due
                            WHERE due.order_id = sale.id AND due.untaxed_amount_to_invoice > 0)
               AND %(due_scope)s
        """, company=company.id, scope=self._partner_scope(SQL("partner.commercial_partner_id"), partners),
            due_scope=due_scope))
        if not rows:
            return {}
        # sudo: the amount to invoice reads the invoices; the refresh runs for whoever changed a document
        lines = self.env["sale.order.line"].sudo().with_company(company).browse(row[0] for row in rows)
        line_amounts = dict(zip(lines.ids, lines.mapped("amount_to_invoice"), strict=True))
        by_partner_currency = {}
        for line_id, partner_id, commercial_id, currency_id in rows:
            key = (partner_id, commercial_id, currency_id)
            by_partner_currency[key] = by_partner_currency.get(key, 0.0) + line_amounts[line_id]
        today = fields.Date.context_today(self)
        amounts = {}
        for (_partner_id, commercial_id, currency_id), amount in by_partner_currency.items():
            currency = self.env["res.currency"].browse(currency_id)
            amounts[commercial_id] = amounts.get(commercial_id, 0.0) + currency._convert(
                amount, company.currency_id, company, today)
        return amounts

    @api.model
    def _partner_scope(self, column, partners):
        return SQL("TRUE") if partners is None else SQL("%s = ANY(%s)", column, partners.ids)

    @api.model
    def _receivable_queries(self, company, today, partners):
        """(receivable items CTEs, payments SELECT): the open receivable items, and the payments of
        the last 12 months on the company's invoices, of every customer or of `partners`.

        A few customers (the refresh at commit): their receivable items, open or paid, are read
        once, through this model's index by partner and account (see init()), the receivable
        accounts named as a list (without it the planner reads all a large customer's 44,000 journal
        items through Odoo's partner index): the open ones make the receivables, the paid invoice
        items the payment delays. Every customer (nightly): the open items and the paid ones are
        read apart, each scan planned on its own (read once into a CTE, the 200,000 receivable
        items of the bench database take twice as long). Both give the same rows."""
        year_ago = today - relativedelta(days=365)
        if partners is None:
            receivable = SQL("""
                receivable AS (
                SELECT partner.commercial_partner_id AS partner_id, line.amount_residual AS residual,
                       move.payment_state = 'blocked' AS disputed,
                       %(today)s - COALESCE(line.date_maturity, line.date) AS late
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.company_id = %(company)s AND line.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable' AND line.reconciled IS NOT TRUE
            """, today=today, company=company.id)
            payment = SQL("""
                SELECT partner.commercial_partner_id AS partner_id, partial.amount, partial.max_date AS paid_on,
                       GREATEST(partial.max_date - COALESCE(debit.date_maturity, debit.date), 0) AS days_late
                  FROM account_partial_reconcile partial
                  JOIN account_move_line debit ON debit.id = partial.debit_move_id
                  JOIN account_account account ON account.id = debit.account_id
                  JOIN account_move invoice ON invoice.id = debit.move_id
                  JOIN account_move_line credit ON credit.id = partial.credit_move_id
                  JOIN account_move payer ON payer.id = credit.move_id
                  JOIN res_partner partner ON partner.id = debit.partner_id
                 WHERE debit.company_id = %(company)s AND account.account_type = 'asset_receivable'
                   AND %(paid)s
            """, company=company.id, paid=self._paid_in_year(year_ago, today))
            return receivable, payment
        receivable = SQL("""
                item AS MATERIALIZED (
                SELECT line.id, line.move_id, line.parent_state, line.reconciled, line.amount_residual,
                       COALESCE(line.date_maturity, line.date) AS due_date,
                       partner.commercial_partner_id AS partner_id
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.company_id = %(company)s AND account.account_type = 'asset_receivable'
                   AND partner.commercial_partner_id = ANY(%(partners)s)
                   AND line.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
            ), receivable AS (
                SELECT item.partner_id, item.amount_residual AS residual,
                       move.payment_state = 'blocked' AS disputed,
                       %(today)s - item.due_date AS late
                  FROM item
                  JOIN account_move move ON move.id = item.move_id
                 WHERE item.parent_state = 'posted' AND item.reconciled IS NOT TRUE
            """, company=company.id, partners=partners.ids, today=today)
        payment = SQL("""
                SELECT debit.partner_id, partial.amount, partial.max_date AS paid_on,
                       GREATEST(partial.max_date - debit.due_date, 0) AS days_late
                  FROM item debit
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = debit.id
                  JOIN account_move invoice ON invoice.id = debit.move_id
                  JOIN account_move_line credit ON credit.id = partial.credit_move_id
                  JOIN account_move payer ON payer.id = credit.move_id
                 WHERE %(paid)s
            """, paid=self._paid_in_year(year_ago, today))
        return receivable, payment

    @api.model
    def _paid_in_year(self, year_ago, today):
        """What the payment delays count, on both paths of _receivable_queries: a reconciliation
        (`partial`) of the last 12 months of an invoice or receipt (`invoice`) by a payment, not by
        a credit note or another invoice (`payer`)."""
        return SQL("""invoice.move_type IN ('out_invoice', 'out_receipt')
                   AND payer.move_type NOT IN ('out_refund', 'out_invoice')
                   AND partial.max_date > %(year_ago)s AND partial.max_date <= %(today)s""",
                   year_ago=year_ago, today=today)

    @api.model
    def _figures_query(self, company, today, partners, to_invoice):
        """SELECT of the figures of the company's customers (or of `partners`), one row each."""
        year_ago = today - relativedelta(days=365)
        recent_start = today - relativedelta(months=3)
        previous_start = today - relativedelta(months=9)
        scope = self._partner_scope(SQL("partner.commercial_partner_id"), partners)
        receivable, payment = self._receivable_queries(company, today, partners)
        # invoices by the commercial partner stored on the move (a foreign key to the partners: set
        # means the partner exists; a commercial partner is its own commercial partner). A few
        # customers: read from this model's index of customer invoices (see init()), the customers
        # first, so that the planner expects one row per customer, not the thousands of the company
        if partners is None:
            customer = SQL("move.commercial_partner_id")
            invoices = SQL("account_move move")
            customer_scope = SQL("move.commercial_partner_id IS NOT NULL")
        else:
            customer = SQL("customer.id")
            invoices = SQL("res_partner customer JOIN account_move move ON move.commercial_partner_id = customer.id")
            customer_scope = SQL("customer.id = ANY(%s)", partners.ids)
        return SQL("""
            WITH %(receivable)s
            ), credit AS (
                -- unapplied payments and credit notes, applied to the oldest amounts first
                SELECT partner_id, -SUM(residual) AS unapplied
                  FROM receivable WHERE residual < 0 AND NOT disputed GROUP BY partner_id
            ), owed AS (
                SELECT receivable.partner_id, receivable.residual, receivable.late,
                       COALESCE(SUM(receivable.residual) OVER (
                           PARTITION BY receivable.partner_id ORDER BY receivable.late DESC
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS owed_before,
                       COALESCE(credit.unapplied, 0) AS unapplied
                  FROM receivable LEFT JOIN credit ON credit.partner_id = receivable.partner_id
                 WHERE receivable.residual > 0 AND NOT receivable.disputed
            ), remaining AS (
                SELECT partner_id, late,
                       residual - LEAST(residual, GREATEST(unapplied - owed_before, 0)) AS residual
                  FROM owed
            ), excess AS (
                -- credit left once everything owed is covered: the customer is in credit
                SELECT credit.partner_id, credit.unapplied - COALESCE(SUM(owed.residual), 0) AS amount
                  FROM credit LEFT JOIN owed ON owed.partner_id = credit.partner_id
                 GROUP BY credit.partner_id, credit.unapplied
            ), aging AS (
                SELECT receivable.partner_id, SUM(receivable.residual) AS open,
                       SUM(receivable.residual) FILTER (WHERE receivable.disputed) AS disputed
                  FROM receivable GROUP BY receivable.partner_id
            ), buckets AS (
                SELECT partner_id,
                       SUM(residual) FILTER (WHERE late > 0) AS overdue,
                       SUM(residual) FILTER (WHERE late <= 0) AS not_due,
                       SUM(residual) FILTER (WHERE late BETWEEN 1 AND 30) AS aging_1_30,
                       SUM(residual) FILTER (WHERE late BETWEEN 31 AND 60) AS aging_31_60,
                       SUM(residual) FILTER (WHERE late BETWEEN 61 AND 90) AS aging_61_90,
                       SUM(residual) FILTER (WHERE late > 90) AS aging_over_90,
                       MAX(late) FILTER (WHERE late > 0 AND residual > 0) AS overdue_max_days
                  FROM remaining GROUP BY partner_id
            ), invoiced AS (
                SELECT %(customer)s AS partner_id,
                       -- Odoo's DSO counts from the first posted invoice ever
                       MIN(move.invoice_date) FILTER (WHERE move.state = 'posted') AS first_date,
                       SUM(move.amount_total_signed) FILTER (WHERE move.state = 'posted'
                           AND move.invoice_date > %(year_ago)s) AS invoiced_12m,
                       SUM(move.amount_total_signed) FILTER (WHERE move.state = 'draft') AS draft_amount
                  FROM %(invoices)s
                 WHERE move.company_id = %(company)s AND move.state IN ('draft', 'posted')
                   AND move.move_type IN ('out_invoice', 'out_refund', 'out_receipt') AND %(customer_scope)s
                 GROUP BY %(customer)s
            ), payment AS (%(payment)s
            ), delay AS (
                SELECT partner_id,
                       SUM(amount * days_late) / NULLIF(SUM(amount), 0) AS avg_delay,
                       SUM(amount * days_late) FILTER (WHERE paid_on > %(recent_start)s)
                         / NULLIF(SUM(amount) FILTER (WHERE paid_on > %(recent_start)s), 0) AS recent,
                       SUM(amount * days_late) FILTER (WHERE paid_on > %(previous_start)s
                                                         AND paid_on <= %(recent_start)s)
                         / NULLIF(SUM(amount) FILTER (WHERE paid_on > %(previous_start)s
                                                        AND paid_on <= %(recent_start)s), 0) AS previous
                  FROM payment GROUP BY partner_id
            ), to_invoice AS (
                SELECT * FROM unnest(%(to_invoice_ids)s::int[], %(to_invoice_amounts)s::numeric[])
                    AS to_invoice(partner_id, amount)
            ), open_complaint AS (
                SELECT DISTINCT partner.commercial_partner_id AS partner_id
                  FROM crm_complaint complaint
                  JOIN res_partner partner ON partner.id = complaint.partner_id
                 WHERE complaint.company_id = %(company)s AND complaint.kind = 'complaint'
                   AND complaint.is_closed IS NOT TRUE AND %(scope)s
            ), customer AS (
                SELECT partner_id FROM aging UNION SELECT partner_id FROM invoiced
                UNION SELECT partner_id FROM delay UNION SELECT partner_id FROM to_invoice
                UNION SELECT stat.partner_id FROM crm_customer_credit_stat stat
                        JOIN res_partner partner ON partner.id = stat.partner_id
                       WHERE stat.company_id = %(company)s AND %(scope)s
            ), figures AS (
                SELECT customer.partner_id,
                       COALESCE(aging.open, 0) AS receivable_open,
                       COALESCE(buckets.overdue, 0) AS receivable_overdue,
                       COALESCE(buckets.not_due, 0) - GREATEST(COALESCE(excess.amount, 0), 0)
                           AS receivable_aging_not_due,
                       COALESCE(buckets.aging_1_30, 0) AS receivable_aging_1_30,
                       COALESCE(buckets.aging_31_60, 0) AS receivable_aging_31_60,
                       COALESCE(buckets.aging_61_90, 0) AS receivable_aging_61_90,
                       COALESCE(buckets.aging_over_90, 0) AS receivable_aging_over_90,
                       COALESCE(aging.disputed, 0) AS receivable_disputed,
                       COALESCE(buckets.overdue_max_days, 0) AS overdue_max_days,
                       COALESCE(invoiced.draft_amount, 0) AS draft_invoice_amount,
                       COALESCE(to_invoice.amount, 0) AS order_to_invoice_amount,
                       CASE WHEN invoiced.invoiced_12m > 0
                            THEN ROUND(COALESCE(aging.open, 0) / invoiced.invoiced_12m
                                       * (%(today)s - GREATEST(invoiced.first_date, %(year_ago)s)), 2)
                            ELSE 0 END AS dso_days,
                       ROUND(delay.avg_delay, 2) AS avg_payment_delay_days,
                       ROUND(delay.recent, 2) AS payment_delay_recent_days,
                       ROUND(delay.previous, 2) AS payment_delay_previous_days,
                       open_complaint.partner_id IS NOT NULL AS has_open_complaint,
                       COALESCE(key_stat.order_overdue, FALSE) AS order_overdue
                  FROM customer
                  LEFT JOIN aging ON aging.partner_id = customer.partner_id
                  LEFT JOIN buckets ON buckets.partner_id = customer.partner_id
                  LEFT JOIN excess ON excess.partner_id = customer.partner_id
                  LEFT JOIN invoiced ON invoiced.partner_id = customer.partner_id
                  LEFT JOIN delay ON delay.partner_id = customer.partner_id
                  LEFT JOIN to_invoice ON to_invoice.partner_id = customer.partner_id
                  LEFT JOIN open_complaint ON open_complaint.partner_id = customer.partner_id
                  LEFT JOIN crm_key_account_stat key_stat
                         ON key_stat.partner_id = customer.partner_id AND key_stat.company_id = %(company)s
            ), signals AS (
                SELECT figures.*,
                       receivable_open + draft_invoice_amount + order_to_invoice_amount AS credit_exposure,
                       CASE WHEN payment_delay_recent_days IS NULL OR payment_delay_previous_days IS NULL THEN NULL
                            WHEN payment_delay_recent_days - payment_delay_previous_days > %(stable)s
                                THEN 'worsening'
                            WHEN payment_delay_previous_days - payment_delay_recent_days > %(stable)s
                                THEN 'improving'
                            ELSE 'stable' END AS payment_delay_trend,
                       CASE WHEN has_open_complaint THEN NULL
                            WHEN payment_delay_recent_days - payment_delay_previous_days >= %(delay_days)s
                                THEN 'payment_delay'
                            WHEN overdue_max_days > %(overdue_days)s THEN 'overdue'
                            WHEN order_overdue THEN 'orders' END AS silent_dissatisfaction_code
                  FROM figures
            )
            SELECT signals.*, silent_dissatisfaction_code IS NOT NULL AS silent_dissatisfaction FROM signals
        """, company=company.id, today=today, year_ago=year_ago, recent_start=recent_start,
            previous_start=previous_start, scope=scope, customer=customer, invoices=invoices,
            customer_scope=customer_scope, receivable=receivable, payment=payment, stable=TREND_STABLE_DAYS,
            delay_days=company._credit_silent_delay_days(), overdue_days=company._credit_silent_overdue_days(),
            to_invoice_ids=list(to_invoice), to_invoice_amounts=list(to_invoice.values()))

    @api.model
    def _figures_of(self, partner_ids, names):
        """{commercial partner id: (figures in the order of `names`)} in the current company, read
        straight from the table (one query, for lists of thousands of customers)."""
        ids = [partner_id for partner_id in partner_ids if partner_id]
        if not ids:
            return {}
        self.flush_model(names)
        self.env.cr.execute(SQL(
            "SELECT partner_id, %s FROM crm_customer_credit_stat WHERE company_id = %s AND partner_id = ANY(%s)",
            SQL(", ").join(SQL.identifier(name) for name in names), self.env.company.id, ids))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _figure_columns(self):
        return ["receivable_open", "receivable_overdue", "receivable_aging_not_due", "receivable_aging_1_30",
                "receivable_aging_31_60", "receivable_aging_61_90", "receivable_aging_over_90",
                "receivable_disputed", "overdue_max_days", "draft_invoice_amount", "order_to_invoice_amount",
                "credit_exposure", "dso_days", "avg_payment_delay_days", "payment_delay_recent_days",
                "payment_delay_previous_days", "payment_delay_trend", "silent_dissatisfaction",
                "silent_dissatisfaction_code"]

    @api.model
    def _upsert_query(self, company):
        """Write the rows whose figures changed, from the figures just computed."""
        names = self._figure_columns()

        def columns(prefix):
            return SQL(", ".join(f"{prefix}{name}" for name in names))

        return SQL("""
            INSERT INTO crm_customer_credit_stat (partner_id, company_id, %(columns)s, tier_id, user_id,
                                                  industry_id, computed_at, create_uid, create_date,
                                                  write_uid, write_date)
            SELECT figures.partner_id, %(company)s, %(figure_columns)s,
                   (partner.key_account_tier_id ->> %(company_key)s)::int, partner.user_id, partner.industry_id,
                   %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_credit_figures_new AS figures
              JOIN res_partner partner ON partner.id = figures.partner_id
            ON CONFLICT (partner_id, company_id) DO UPDATE SET (%(columns)s, tier_id, user_id, industry_id,
                computed_at, write_uid, write_date) = (%(excluded)s, EXCLUDED.tier_id, EXCLUDED.user_id,
                EXCLUDED.industry_id, EXCLUDED.computed_at, EXCLUDED.write_uid, EXCLUDED.write_date)
            -- rows whose figures did not move are left alone
            WHERE (%(current)s, crm_customer_credit_stat.tier_id, crm_customer_credit_stat.user_id,
                   crm_customer_credit_stat.industry_id)
                  IS DISTINCT FROM (%(excluded)s, EXCLUDED.tier_id, EXCLUDED.user_id, EXCLUDED.industry_id)
        """, columns=columns(""), figure_columns=columns("figures."), excluded=columns("EXCLUDED."),
            current=columns("crm_customer_credit_stat."), company=company.id, company_key=str(company.id),
            now=fields.Datetime.now(), uid=self.env.uid)

    # ------------------------------------------------------------ the signal

    @api.model
    def _notify_silent_dissatisfaction(self, company, partners=None):
        """One "call the customer" activity for the account owner when the signal rises; the flag
        drops with the signal, so a later rise asks again.

        One fact, one activity: a signal whose only cause is the overdue order ("orders") asks
        nothing of its own, as the order-overdue activity of the key-account figures already asks
        the owner about that order (crm.key.account.stat._notify_overdue_orders). It stays not
        notified, so that a cause of its own (paying later, long overdue) asks then. Decided on
        the row's cause, without reading the customer's activities: no query more."""
        # the signals newly raised (to notify) and those dropped (to forget and close), one statement:
        # this runs at the commit of every change to a customer's orders and invoices
        rows = self.env.execute_query(SQL("""
            WITH dropped AS (
                UPDATE crm_customer_credit_stat SET silent_notified = FALSE
                 WHERE company_id = %(company)s AND silent_notified AND NOT silent_dissatisfaction AND %(scope)s
             RETURNING partner_id
            )
            SELECT id, TRUE FROM crm_customer_credit_stat
             WHERE company_id = %(company)s AND silent_dissatisfaction AND silent_notified IS NOT TRUE
               AND silent_dissatisfaction_code IS DISTINCT FROM 'orders' AND %(scope)s
             UNION ALL
            SELECT partner_id, FALSE FROM dropped
        """, company=company.id, scope=self._partner_scope(SQL("partner_id"), partners)))
        # sudo: the refresh runs for whoever changed a document; the activity goes to the account owner
        stats = self.sudo().browse(sorted(row_id for row_id, raised in rows if raised))
        signalled = stats.partner_id.with_company(company)
        envs = signalled._owner_envs()
        signalled._schedule_account_activities("crm_industrial.mail_activity_type_silent_dissatisfaction", {
            stat.partner_id.with_company(company): stat.with_env(envs[stat.partner_id])._silent_dissatisfaction_text()
            for stat in stats})
        if stats:
            self.env.cr.execute(SQL("UPDATE crm_customer_credit_stat SET silent_notified = TRUE WHERE id = ANY(%s)",
                                    stats.ids))
        recovered = self.env["res.partner"].browse(row_id for row_id, raised in rows if not raised)
        self.invalidate_model(["silent_notified"])
        self._close_silent_dissatisfaction_activities(recovered)

    @api.model
    def _close_silent_dissatisfaction_activities(self, partners):
        """The signal dropped: the "call the customer" activity still open is done, with why."""
        if not partners:
            return
        activity_type = self.env.ref("crm_industrial.mail_activity_type_silent_dissatisfaction")
        # sudo: the refresh runs for whoever changed a document; the activity is the account owner's
        activities = self.env["mail.activity"].sudo().search([
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("activity_type_id", "=", activity_type.id)])
        for activity in activities:
            env = self.env["res.partner"].browse(activity.res_id)._owner_env()
            activity.with_env(env).sudo().action_feedback(feedback=env._(
                "Silent dissatisfaction cleared: the customer's payments and orders are back to normal."))

    def _silent_dissatisfaction_text(self):
        """Why the signal is raised, with the figures, in the environment's language."""
        self.ensure_one()
        _ = self.env._
        if not self.silent_dissatisfaction:
            return False
        if self.silent_dissatisfaction_code == "payment_delay":
            return _("Pays %(recent).0f days late on average over the last 3 months, against %(previous).0f "
                     "days in the 6 months before, and has not complained: call the customer.",
                     recent=self.payment_delay_recent_days, previous=self.payment_delay_previous_days)
        if self.silent_dissatisfaction_code == "overdue":
            return _("An amount is %(days)s days overdue and the customer has not complained: call the customer.",
                     days=self.overdue_max_days)
        return _("The next order is overdue and the customer has not complained: call the customer.")
