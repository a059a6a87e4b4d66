"""Silent dissatisfaction: customers who pay later or order less without complaining."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmIndustrialCommon
from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestSilentDissatisfaction(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("crm_industrial.mail_activity_type_silent_dissatisfaction")
        cls.closed_stage = cls.env.ref("crm_industrial.crm_complaint_stage_closed")

    def _paying_later(self, partner):
        """Paid 2 days late in the 6 months before, 25 days late in the last 3 months."""
        for days_ago in (200, 150):
            invoice = self._invoice(partner, 1000, invoice_days_ago=days_ago + 30, due_days_ago=days_ago + 2)
            self._pay(invoice, days_ago=days_ago)
        invoice = self._invoice(partner, 1000, invoice_days_ago=60, due_days_ago=45)
        self._pay(invoice, days_ago=20)

    def _activities(self, partner):
        return partner.activity_ids.filtered(lambda activity: activity.activity_type_id == self.activity_type)

    def _complaint(self, partner):
        return self.env["crm.complaint"].create({"subject": "Wet coal", "partner_id": partner.id})

    def test_raised_once_with_its_reason(self):
        self._paying_later(self.customer)
        self.Stat._refresh()
        self.assertTrue(self.customer.silent_dissatisfaction)
        self.assertEqual(self._stat(self.customer).silent_dissatisfaction_code, "payment_delay")
        self.assertIn("25 days late", self.customer.silent_dissatisfaction_reason)
        self.assertIn("2 days", self.customer.silent_dissatisfaction_reason)
        activity = self._activities(self.customer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales_user, "the account owner is asked to call")
        # the next nights do not ask again
        self.Stat._cron_refresh()
        self.Stat._refresh(self.customer)
        self.assertEqual(len(self._activities(self.customer)), 1)
        self.assertIn(self.customer, self.env["res.partner"].search([("silent_dissatisfaction", "=", True)]))
        self.assertNotIn(self.other_customer, self.env["res.partner"].search([("silent_dissatisfaction", "=", True)]))

    def test_not_raised_while_a_complaint_is_open(self):
        self._paying_later(self.customer)
        complaint = self._complaint(self.customer)
        self._commit_hooks()
        self.assertFalse(self.customer.silent_dissatisfaction)
        self.assertFalse(self._activities(self.customer))
        # closing the complaint lets the signal rise
        complaint.write({"stage_id": self.closed_stage.id, "root_cause_category": "material",
                         "resolution": "Dried the next shipment."})
        self._commit_hooks()
        self.assertTrue(self.customer.silent_dissatisfaction)

    def test_long_overdue_raises_and_payment_clears(self):
        invoice = self._invoice(self.customer, 800, invoice_days_ago=70, due_days_ago=40)
        self.Stat._refresh()
        self.assertTrue(self.customer.silent_dissatisfaction)
        self.assertEqual(self._stat(self.customer).silent_dissatisfaction_code, "overdue")
        self.assertIn("40 days overdue", self.customer.silent_dissatisfaction_reason)
        self._pay(invoice, days_ago=0)
        self._commit_hooks()
        self.env.invalidate_all()
        stat = self._stat(self.customer)
        self.assertFalse(self.customer.silent_dissatisfaction)
        self.assertFalse(self.customer.silent_dissatisfaction_reason)
        self.assertFalse(stat.silent_notified, "a later rise asks again")
        self.assertFalse(self._activities(self.customer), "the call is no longer asked for")
        done = self.customer.message_ids.filtered(
            lambda message: "Silent dissatisfaction cleared" in (message.body or ""))
        self.assertEqual(len(done), 1, "the activity is marked done, with why")

    def test_thresholds_come_from_the_company(self):
        self._invoice(self.customer, 800, invoice_days_ago=70, due_days_ago=40)
        self.env.company.credit_silent_overdue_days = 60
        self.Stat._refresh()
        self.assertFalse(self.customer.silent_dissatisfaction)
        self.env.company.credit_silent_overdue_days = 35
        self.Stat._refresh()
        self.assertTrue(self.customer.silent_dissatisfaction)
        self._paying_later(self.other_customer)
        self.env.company.credit_silent_delay_days = 30
        self.Stat._refresh()
        self.assertFalse(self.other_customer.silent_dissatisfaction)
        for days in (0, -5, 366):
            with self.assertRaises(ValidationError):
                self.env.company.credit_silent_delay_days = days
                self.env.company.flush_recordset()

    def test_orders_declining_reuses_the_key_account_signal(self):
        self._invoice(self.customer, 800, invoice_days_ago=10)
        self.env["crm.key.account.stat"].sudo().create({
            "partner_id": self.customer.id, "company_id": self.env.company.id, "order_overdue": True})
        self.Stat._refresh()
        self.assertTrue(self.customer.silent_dissatisfaction)
        self.assertEqual(self._stat(self.customer).silent_dissatisfaction_code, "orders")
        self.assertIn("next order is overdue", self.customer.silent_dissatisfaction_reason)
        self.assertFalse(self._activities(self.customer),
                         "the order-overdue activity asks about this fact: no second activity")

    def test_an_overdue_order_gives_one_activity(self):
        """One fact, one activity: the next order is overdue (the key-account figures ask the account
        owner about it), and the signal raised for the same fact asks nothing more; a cause of its
        own (an amount long overdue) asks then."""
        for days_ago in (190, 160, 130, 100):
            order = self.env["sale.order"].create({
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]})
            order.action_confirm()
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        self._invoice(self.customer, 800, invoice_days_ago=10)
        self.env["crm.key.account.stat"]._recompute(self.customer)
        overdue_type = self.env.ref("crm_industrial.mail_activity_type_order_overdue")
        self.assertTrue(self.customer.order_overdue)
        self.Stat._refresh()
        self.Stat._refresh(self.customer)
        self.assertTrue(self.customer.silent_dissatisfaction, "the signal is raised and listed")
        self.assertEqual(self._stat(self.customer).silent_dissatisfaction_code, "orders")
        self.assertIn(self.customer, self.env["res.partner"].search([("silent_dissatisfaction", "=", True)]))
        self.assertEqual(self.customer.activity_ids.activity_type_id, overdue_type,
                         "one activity for the overdue order, none more for the signal")
        self.assertEqual(len(self.customer.activity_ids), 1)
        self.assertEqual(self.customer.activity_ids.user_id, self.sales_user)
        # a cause of its own: an amount long overdue asks the owner to call
        self._invoice(self.customer, 500, invoice_days_ago=70, due_days_ago=40)
        self.Stat._refresh(self.customer)
        self.assertEqual(self._stat(self.customer).silent_dissatisfaction_code, "overdue")
        self.assertEqual(len(self._activities(self.customer)), 1)
        self.assertEqual(len(self.customer.activity_ids), 2, "one activity per fact")

    def test_salespeople_see_the_signal(self):
        self._invoice(self.customer, 800, invoice_days_ago=70, due_days_ago=40)
        self.Stat._refresh()
        values = self.customer.with_user(self.sales_user).read(
            ["silent_dissatisfaction", "silent_dissatisfaction_reason"])[0]
        self.assertTrue(values["silent_dissatisfaction"])
        self.assertTrue(values["silent_dissatisfaction_reason"])
        self.assertEqual(self.env["res.partner"].with_user(self.sales_user).search(
            [("silent_dissatisfaction", "=", True), ("id", "=", self.customer.id)]), self.customer)


@tagged("post_install", "-at_install")
class TestCreditDemo(CrmIndustrialCommon):
    """The demo story (the test database is installed with demo data)."""

    def test_a_customer_pays_later_and_later_without_complaining(self):
        supplies = self.env.ref("crm_industrial.partner_industrial_supplies_demo")
        self.assertFalse(self.env["crm.complaint"].search([("partner_id", "child_of", supplies.id)]))
        self.assertEqual(supplies.payment_delay_trend, "worsening")
        self.assertGreater(supplies.payment_delay_recent_days, supplies.payment_delay_previous_days + 10)
        self.assertTrue(supplies.silent_dissatisfaction)
        self.assertTrue(supplies.silent_dissatisfaction_reason)
        self.assertTrue(supplies.activity_ids.filtered(lambda activity: activity.activity_type_id == self.env.ref(
            "crm_industrial.mail_activity_type_silent_dissatisfaction")))
        self.assertIn(supplies, self.env["res.partner"].search([("silent_dissatisfaction", "=", True)]))

    def test_receivables_spread_over_the_aging_buckets(self):
        stats = self.env["crm.customer.credit.stat"].search([("company_id", "=", self.env.company.id)])
        filled = [name for name in ("receivable_aging_not_due", "receivable_aging_1_30", "receivable_aging_31_60",
                                    "receivable_aging_61_90", "receivable_aging_over_90")
                  if sum(stats.mapped(name)) > 0]
        self.assertGreaterEqual(len(filled), 4, filled)
