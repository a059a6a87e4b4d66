"""Receivables, aging, DSO, payment delay and exposure, on hand-built documents."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestReceivables(CreditCommon):
    def _aging_story(self):
        customer = self.customer
        self.not_due = self._invoice(customer, 1000, invoice_days_ago=5, due_days_ago=-10)
        self.late_15 = self._invoice(customer, 500, invoice_days_ago=45, due_days_ago=15)
        self.late_45 = self._invoice(customer, 300, invoice_days_ago=75, due_days_ago=45)
        self.late_75 = self._invoice(customer, 200, invoice_days_ago=105, due_days_ago=75)
        self.late_120 = self._invoice(customer, 100, invoice_days_ago=150, due_days_ago=120)
        # an unreconciled credit note, and a partial payment of the 15-day-late invoice
        self._invoice(customer, 50, invoice_days_ago=0, move_type="out_refund")
        self._pay(self.late_15, days_ago=3, amount=200)
        # a fully paid invoice is no longer open
        self._pay(self._invoice(customer, 700, invoice_days_ago=40, due_days_ago=10), days_ago=1)

    def test_open_overdue_and_aging(self):
        self._aging_story()
        self.Stat._refresh()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.receivable_open, 1000 - 50 + 300 + 300 + 200 + 100)
        # the unreconciled credit note is set against the oldest amount first
        self.assertAlmostEqual(stat.receivable_aging_not_due, 1000)
        self.assertAlmostEqual(stat.receivable_aging_1_30, 300)
        self.assertAlmostEqual(stat.receivable_aging_31_60, 300)
        self.assertAlmostEqual(stat.receivable_aging_61_90, 200)
        self.assertAlmostEqual(stat.receivable_aging_over_90, 50)
        self.assertAlmostEqual(stat.receivable_overdue, 850)
        self.assertEqual(stat.receivable_disputed, 0)
        self.assertEqual(stat.overdue_max_days, 120)
        # the same open amount as Odoo's own 'Total Receivable'
        self.assertAlmostEqual(stat.receivable_open, self.customer.credit)
        # and the partner shows the current company's figures, contacts their company's
        contact = self.env["res.partner"].create({"name": "Li Na", "parent_id": self.customer.id})
        self.assertAlmostEqual(contact.receivable_overdue, 850)
        self.assertIn(self.customer, self.env["res.partner"].search([("receivable_aging_31_60", ">", 0)]))

    def test_disputed_lines_are_shown_apart(self):
        self._aging_story()
        self.late_120.action_toggle_block_payment()
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.receivable_disputed, 100)
        self.assertEqual(stat.receivable_aging_over_90, 0)
        # the credit note now goes to the oldest undisputed amount
        self.assertAlmostEqual(stat.receivable_aging_61_90, 150)
        self.assertAlmostEqual(stat.receivable_overdue, 750)
        self.assertEqual(stat.overdue_max_days, 75, "the disputed item is not the oldest overdue any more")
        self.assertAlmostEqual(stat.receivable_open, 1850, "disputed amounts are still owed")

    def _unapplied_payment(self, amount, days_ago=1):
        """A customer payment posted without saying which invoice it pays."""
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id,
            "amount": amount, "date": self.today - timedelta(days=days_ago),
        })
        payment.action_post()
        return payment

    def test_unapplied_payment_covers_the_oldest_amounts_first(self):
        self._invoice(self.customer, 1000, invoice_days_ago=5, due_days_ago=-10)
        self._invoice(self.customer, 300, invoice_days_ago=75, due_days_ago=45)
        self._invoice(self.customer, 200, invoice_days_ago=40, due_days_ago=10)
        self._unapplied_payment(400)
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.receivable_open, 1100)
        self.assertAlmostEqual(stat.receivable_aging_31_60, 0, "the payment covers the oldest invoice")
        self.assertAlmostEqual(stat.receivable_aging_1_30, 100)
        self.assertAlmostEqual(stat.receivable_aging_not_due, 1000)
        self.assertAlmostEqual(stat.receivable_overdue, 100)
        self.assertEqual(stat.overdue_max_days, 10)
        self.assertLessEqual(stat.receivable_overdue, stat.receivable_open)

    def test_customer_in_credit_owes_nothing_overdue(self):
        self._invoice(self.customer, 300, invoice_days_ago=75, due_days_ago=45)
        self._unapplied_payment(500)
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.receivable_open, -200)
        self.assertEqual(stat.receivable_overdue, 0)
        self.assertEqual(stat.overdue_max_days, 0)
        self.assertAlmostEqual(stat.receivable_aging_not_due, -200, "the credit is shown as not due")
        self.assertAlmostEqual(sum(stat[name] for name in (
            "receivable_aging_not_due", "receivable_aging_1_30", "receivable_aging_31_60",
            "receivable_aging_61_90", "receivable_aging_over_90", "receivable_disputed")), stat.receivable_open)

    def test_multi_currency_in_company_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        invoice = self._invoice(self.customer, 1000, invoice_days_ago=20, due_days_ago=10, currency=eur)
        self._pay(invoice, days_ago=5, amount=400)
        self.Stat._refresh()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.receivable_open, 300, msg="600 EUR left at 2 EUR per unit")
        self.assertAlmostEqual(stat.receivable_open, invoice.amount_residual_signed)
        self.assertAlmostEqual(stat.receivable_aging_1_30, 300)

    def test_other_company_documents_are_left_out(self):
        other = self.setup_other_company(name="Other Coal Company")["company"]
        self.env.user.company_ids |= other
        self._invoice(self.customer, 400, invoice_days_ago=30, due_days_ago=20)
        self._invoice(self.customer, 9000, invoice_days_ago=30, due_days_ago=20, company=other)
        self.Stat._cron_refresh()
        self.assertAlmostEqual(self._stat(self.customer).receivable_open, 400)
        theirs = self.Stat.search([("partner_id", "=", self.customer.id), ("company_id", "=", other.id)])
        self.assertAlmostEqual(theirs.receivable_open, 9000)
        self.assertAlmostEqual(self.customer.with_company(other).receivable_overdue, 9000)
        self.assertAlmostEqual(self.customer.receivable_overdue, 400)


@tagged("post_install", "-at_install")
class TestPaymentBehaviour(CreditCommon):
    def test_dso_agrees_with_odoo(self):
        self._invoice(self.customer, 1000, invoice_days_ago=200)
        second = self._invoice(self.customer, 600, invoice_days_ago=90)
        self._invoice(self.customer, 400, invoice_days_ago=20)
        self._pay(second, days_ago=60)
        self.Stat._refresh()
        stat = self._stat(self.customer)
        odoo_dso = self.customer.days_sales_outstanding
        self.assertAlmostEqual(odoo_dso, 1400 / 2000 * 200)
        self.assertAlmostEqual(stat.dso_days, round(odoo_dso, 2))

    def test_dso_covers_the_trailing_twelve_months(self):
        self._pay(self._invoice(self.customer, 5000, invoice_days_ago=500), days_ago=470)
        self._invoice(self.customer, 1000, invoice_days_ago=100)
        self.Stat._refresh()
        # 1000 open / 1000 invoiced in 12 months x 365 days, where Odoo counts 500 days and all sales
        self.assertAlmostEqual(self._stat(self.customer).dso_days, 365)
        self.assertAlmostEqual(self.customer.days_sales_outstanding, 1000 / 6000 * 500)

    def test_average_delay_is_weighted_by_amount_paid(self):
        invoice = self._invoice(self.customer, 1000, invoice_days_ago=60, due_days_ago=40)
        self._pay(invoice, days_ago=30, amount=600)  # 10 days late
        self._pay(invoice, days_ago=10, amount=400)  # 30 days late
        on_time = self._invoice(self.customer, 500, invoice_days_ago=20, due_days_ago=5)
        self._pay(on_time, days_ago=8)  # early: 0 days late
        # a credit note settling an invoice is not a payment
        refunded = self._invoice(self.customer, 300, invoice_days_ago=100, due_days_ago=90)
        refund = self._invoice(self.customer, 300, invoice_days_ago=2, move_type="out_refund")
        (refunded + refund).line_ids.filtered(lambda line: line.display_type == "payment_term").reconcile()
        self.Stat._refresh()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.avg_payment_delay_days, (600 * 10 + 400 * 30 + 500 * 0) / 1500, places=2)

    def test_trend_last_three_months_against_the_six_before(self):
        for days_ago, late in ((200, 2), (150, 4)):
            invoice = self._invoice(self.customer, 1000, invoice_days_ago=days_ago + 30, due_days_ago=days_ago + late)
            self._pay(invoice, days_ago=days_ago)
        invoice = self._invoice(self.customer, 1000, invoice_days_ago=60, due_days_ago=40)
        self._pay(invoice, days_ago=20)  # 20 days late
        self.Stat._refresh()
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.payment_delay_previous_days, 3)
        self.assertAlmostEqual(stat.payment_delay_recent_days, 20)
        self.assertEqual(stat.payment_delay_trend, "worsening")
        self.assertEqual(self.customer.payment_delay_trend, "worsening")
        late = self._invoice(self.other_customer, 1000, invoice_days_ago=200, due_days_ago=190)
        self._pay(late, days_ago=150)  # 40 days late
        fast = self._invoice(self.other_customer, 1000, invoice_days_ago=40, due_days_ago=30)
        self._pay(fast, days_ago=29)
        self.Stat._refresh()
        self.assertEqual(self._stat(self.other_customer).payment_delay_trend, "improving")

    def test_no_trend_without_payments_in_both_periods(self):
        invoice = self._invoice(self.customer, 1000, invoice_days_ago=60, due_days_ago=40)
        self._pay(invoice, days_ago=20)
        self.Stat._refresh()
        self.assertFalse(self._stat(self.customer).payment_delay_trend)


@tagged("post_install", "-at_install")
class TestExposure(CreditCommon):
    def test_exposure_adds_drafts_and_orders_to_invoice(self):
        company = self.env.company
        company.account_use_credit_limit = True
        self.customer.credit_limit = 4000
        self._invoice(self.customer, 1000, invoice_days_ago=10)
        self._invoice(self.customer, 250, post=False)
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1,
                                           "price_unit": 750, "tax_id": [Command.clear()]})]})
        order.action_confirm()
        self._commit_hooks()
        self.assertAlmostEqual(self.customer.credit_to_invoice, 750)
        stat = self._stat(self.customer)
        self.assertAlmostEqual(stat.draft_invoice_amount, 250)
        self.assertAlmostEqual(stat.order_to_invoice_amount, 750)
        self.assertAlmostEqual(self.customer.credit_exposure, 2000)
        self.assertAlmostEqual(self.customer.credit_usage, 50)

    def test_search_customers_over_their_credit_limit(self):
        self.env.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000
        self.other_customer.credit_limit = 5000
        self._invoice(self.customer, 1500, invoice_days_ago=10)
        self._invoice(self.other_customer, 1500, invoice_days_ago=10)
        self._commit_hooks()
        Partner = self.env["res.partner"].with_user(self.sales_user)
        contact = self.env["res.partner"].create({"name": "Zhao Lei", "parent_id": self.customer.id})
        over = Partner.search([("credit_usage", ">", 100)])
        self.assertIn(self.customer, over)
        self.assertIn(contact, over, "a contact shows its company's figures")
        self.assertNotIn(self.other_customer, over)
        self.assertIn(self.other_customer, Partner.search([("credit_usage", "<=", 30)]))
        with self.assertQueryCount(1):  # one query, however many customers
            self.env["res.partner"].search([("credit_usage", ">", 100)])
        with self.assertRaises(UserError):
            Partner.search([("credit_usage", "=", "lots")])

    def test_usage_is_empty_without_a_credit_limit(self):
        self.env.company.account_use_credit_limit = False
        self._invoice(self.customer, 1000, invoice_days_ago=10)
        self.Stat._refresh()
        self.assertAlmostEqual(self.customer.credit_exposure, 1000)
        self.assertFalse(self.customer.credit_usage)


@tagged("post_install", "-at_install")
class TestRefresh(CreditCommon):
    def test_payment_refreshes_its_customer_only(self):
        invoice = self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self._invoice(self.other_customer, 800, invoice_days_ago=40, due_days_ago=10)
        self.Stat._refresh()
        self.env.cr.precommit.clear()  # both customers are up to date
        others = self._stat(self.other_customer)
        # the other row made stale on purpose: only a recompute of the other customer would fix it
        self.env.cr.execute("UPDATE crm_customer_credit_stat SET write_date = write_date - interval '1 hour'")
        self.env.cr.execute("UPDATE crm_customer_credit_stat SET receivable_open = 12345 WHERE id = %s", [others.id])
        self.env.invalidate_all()
        others_written = others.write_date
        self._pay(invoice, days_ago=0)
        self.env.flush_all()
        partners_written = (self.customer | self.other_customer).mapped("write_date")
        self._commit_hooks()
        self.assertEqual(self._stat(self.customer).receivable_open, 0)
        self.assertEqual(others.write_date, others_written, "the other customer's row is not written")
        self.assertEqual(others.receivable_open, 12345, "nor recomputed")
        self.assertEqual((self.customer | self.other_customer).mapped("write_date"), partners_written,
                         "figures never write the partner table")

    def test_one_customer_costs_a_constant_number_of_queries(self):
        def refresh_queries(partner):
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Stat._refresh(partner)
            return self.env.cr.sql_log_count - before

        self._pay(self._invoice(self.customer, 100, invoice_days_ago=40, due_days_ago=10), days_ago=0)
        few = refresh_queries(self.customer)
        for _index in range(15):
            self._pay(self._invoice(self.other_customer, 100, invoice_days_ago=40, due_days_ago=10), days_ago=0)
        self.assertEqual(refresh_queries(self.other_customer), few)
        self.assertLess(few, 10)

    def test_commit_refresh_after_payment_or_invoice_costs_constant_queries(self):
        """What the commit of a payment or an invoice runs for its customer (figures, signal, held
        orders) costs the same queries for a customer with one invoice as for one with many."""
        def commit_queries(action):
            action()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Stat._refresh_dirty()
            queries = self.env.cr.sql_log_count - before
            self.env.cr.precommit.clear()
            return queries

        self._pay(self._invoice(self.customer, 100, invoice_days_ago=40, due_days_ago=10), days_ago=0)
        for _index in range(15):
            self._pay(self._invoice(self.other_customer, 100, invoice_days_ago=40, due_days_ago=10), days_ago=0)
        self.env.cr.precommit.clear()
        counts = {}
        for partner in (self.customer, self.other_customer):
            invoice = self._invoice(partner, 100, invoice_days_ago=5, post=False)
            counts[partner, "invoice"] = commit_queries(invoice.action_post)
            self.assertEqual(self._stat(partner).receivable_open, 100, "the invoice is in the figures at commit")
            counts[partner, "payment"] = commit_queries(lambda invoice=invoice: self._pay(invoice, days_ago=0))
            self.assertEqual(self._stat(partner).receivable_open, 0, "the payment is in the figures at commit")
        self.assertEqual(counts[self.other_customer, "invoice"], counts[self.customer, "invoice"])
        self.assertEqual(counts[self.other_customer, "payment"], counts[self.customer, "payment"])
        self.assertLess(max(counts.values()), 10)

    def test_nightly_run_writes_only_what_changed(self):
        self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self.Stat._cron_refresh()
        self.env.cr.execute("UPDATE crm_customer_credit_stat SET computed_at = '2000-01-01'")
        self.Stat._cron_refresh()
        self.env.cr.execute("SELECT COUNT(*) FROM crm_customer_credit_stat WHERE computed_at <> '2000-01-01'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self._invoice(self.customer, 100, invoice_days_ago=1)
        self.env.cr.precommit.clear()
        self.Stat._cron_refresh()
        self.env.invalidate_all()
        self.assertNotEqual(str(self._stat(self.customer).computed_at), "2000-01-01 00:00:00")


@tagged("post_install", "-at_install")
class TestCreditAccess(CreditCommon):
    def test_salespeople_see_the_summary_only(self):
        self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self.Stat._refresh()
        as_sales = self.customer.with_user(self.sales_user)
        summary = as_sales.read(["credit_exposure", "credit_usage", "silent_dissatisfaction"])[0]
        self.assertAlmostEqual(summary["credit_exposure"], 1000)
        self.assertFalse(summary["silent_dissatisfaction"])
        with self.assertRaises(AccessError):
            as_sales.read(["receivable_aging_1_30"])
        with self.assertRaises(AccessError):
            as_sales.read(["receivable_overdue"])
        with self.assertRaises(AccessError):
            self.Stat.with_user(self.sales_user).search([])
        as_accountant = self.customer.with_user(self.accountant)
        self.assertAlmostEqual(as_accountant.read(["receivable_aging_1_30"])[0]["receivable_aging_1_30"], 1000)
        self.assertEqual(self.Stat.with_user(self.accountant).search([("partner_id", "=", self.customer.id)]),
                         self._stat(self.customer))

    def test_portal_reads_nothing(self):
        self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self.Stat._refresh()
        with self.assertRaises(AccessError):
            self.Stat.with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.portal.partner_id.with_user(self.portal).read(["credit_exposure"])

    def test_figures_are_read_only(self):
        self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self.Stat._refresh()
        with self.assertRaises(AccessError):
            self._stat(self.customer).with_user(self.accountant).write({"receivable_open": 0})


@tagged("post_install", "-at_install")
class TestCreditScreens(CreditCommon):
    def _form_arch(self, user):
        return self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]

    def test_customer_form_shows_each_role_its_part(self):
        sales_arch, accountant_arch = self._form_arch(self.sales_user), self._form_arch(self.accountant)
        for arch in (sales_arch, accountant_arch):
            self.assertIn('name="crm_industrial_accounting_credit"', arch)
            self.assertIn('name="credit_exposure"', arch)
            self.assertIn('name="silent_dissatisfaction"', arch)
        self.assertNotIn("receivable_aging_1_30", sales_arch)
        self.assertNotIn("payment_delay_trend", sales_arch)
        self.assertIn("receivable_aging_1_30", accountant_arch)
        self.assertIn('name="crm_industrial_credit_aging"', accountant_arch)

    def test_aging_by_tier_salesperson_and_industry(self):
        self._invoice(self.customer, 1000, invoice_days_ago=40, due_days_ago=10)
        self._invoice(self.other_customer, 500, invoice_days_ago=100, due_days_ago=70)
        self.Stat._refresh()
        Stat = self.Stat.with_user(self.accountant)
        for groupby in ("tier_id", "user_id", "industry_id"):
            groups = Stat.read_group([("company_id", "=", self.env.company.id)],
                                     ["receivable_aging_1_30:sum", "receivable_aging_61_90:sum"], [groupby])
            self.assertAlmostEqual(sum(group["receivable_aging_1_30"] for group in groups), 1000)
            self.assertAlmostEqual(sum(group["receivable_aging_61_90"] for group in groups), 500)
        action = self.env.ref("crm_industrial.crm_customer_credit_stat_action_aging")
        self.assertIn("pivot", action.view_mode)
