"""The demo story holds: the test database is installed with demo data."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

CUSTOMERS = [
    "partner_power_plant_demo",
    "partner_steel_cement_demo",
    "partner_haiyang_chemical_demo",
    "partner_pvc_pipes_demo",
    "partner_glass_works_demo",
    "partner_fertiliser_demo",
    "partner_paper_mill_demo",
    "partner_water_treatment_demo",
    "partner_chem_distributor_demo",
    "partner_coal_trader_demo",
    "partner_industrial_supplies_demo",
    "partner_small_trader_demo",
]


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.customers = cls.env["res.partner"].browse(
            [cls.env.ref(f"crm_industrial.{xmlid}").id for xmlid in CUSTOMERS])
        cls.invoices = cls.env["account.move"].search([
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("partner_id", "child_of", cls.customers.ids),
        ])

    def _customer(self, xmlid):
        return self.env.ref(f"crm_industrial.{xmlid}")

    def test_company_customers_with_types_and_contacts(self):
        self.assertGreaterEqual(len(self.customers), 10)
        for customer in self.customers:
            self.assertTrue(customer.is_company, customer.name)
            self.assertTrue(customer.customer_type, customer.name)
            self.assertTrue(customer.industry_id, customer.name)
            self.assertTrue(customer.property_payment_term_id, customer.name)
            self.assertTrue(customer.account_owner_id, customer.name)
            contacts = customer.child_ids.filtered(lambda c: c.type == "contact")
            self.assertTrue(contacts, customer.name)
            self.assertTrue(all(contacts.mapped("function")), customer.name)
            self.assertTrue(all(contacts.mapped("email")), customer.name)
        self.assertEqual(set(self.customers.mapped("customer_type")), {"end_user", "distributor"})

    def test_products_sold_by_the_tonne(self):
        ton = self.env.ref("uom.product_uom_ton")
        products = self.invoices.invoice_line_ids.product_id
        self.assertGreaterEqual(len(products), 6)
        for product in products:
            self.assertEqual(product.uom_id, ton, product.name)
            self.assertEqual(product.type, "consu", product.name)
            self.assertEqual(product.invoice_policy, "order", product.name)
            self.assertLess(product.standard_price, product.list_price, product.name)

    def test_every_customer_bought(self):
        orders = self.env["sale.order"].search([
            ("partner_id", "child_of", self.customers.ids), ("state", "=", "sale")])
        self.assertTrue(150 <= len(orders) <= 260, len(orders))
        self.assertEqual(orders.partner_id.commercial_partner_id, self.customers)
        self.assertTrue(all(order.invoice_status == "invoiced" for order in orders))

    def test_invoices_span_at_least_15_months(self):
        dates = self.invoices.mapped("invoice_date")
        self.assertTrue(dates)
        self.assertLessEqual(min(dates), self.today - relativedelta(months=15))
        self.assertGreaterEqual(max(dates), self.today - relativedelta(months=1))
        self.assertLessEqual(max(dates), self.today)

    def test_some_payments_are_late(self):
        late = self.env["account.payment"]
        payments = self.env["account.payment"].search([
            ("partner_id", "in", self.customers.ids), ("state", "!=", "draft")])
        self.assertGreaterEqual(len(payments), 50)
        for payment in payments:
            self.assertLessEqual(payment.date, self.today)
            if any(payment.date > inv.invoice_date_due + relativedelta(days=20)
                   for inv in payment.reconciled_invoice_ids):
                late |= payment
        self.assertGreaterEqual(len(late), 5)
        self.assertIn(self._customer("partner_pvc_pipes_demo"), late.partner_id)

    def test_small_trader_has_overdue_invoices(self):
        trader = self._customer("partner_small_trader_demo")
        overdue = self.invoices.filtered(
            lambda inv: inv.partner_id == trader
            and inv.payment_state in ("not_paid", "partial")
            and inv.invoice_date_due < self.today)
        self.assertGreaterEqual(len(overdue), 2)
        power_plant = self._customer("partner_power_plant_demo")
        self.assertFalse(self.invoices.filtered(
            lambda inv: inv.partner_id == power_plant
            and inv.payment_state in ("not_paid", "partial")
            and inv.invoice_date_due < self.today), "the power plant pays on time")

    def test_glass_works_is_declining(self):
        glass = self._customer("partner_glass_works_demo")
        six_months_ago = self.today - relativedelta(months=6)
        year_ago = self.today - relativedelta(months=12)
        glass_invoices = self.invoices.filtered(lambda inv: inv.partner_id == glass)
        recent = sum(glass_invoices.filtered(
            lambda inv: inv.invoice_date > six_months_ago).mapped("amount_untaxed"))
        before = sum(glass_invoices.filtered(
            lambda inv: year_ago < inv.invoice_date <= six_months_ago).mapped("amount_untaxed"))
        self.assertGreater(before, 0)
        self.assertLess(recent, before * 0.4)
        last_order = max(self.env["sale.order"].search([("partner_id", "=", glass.id)])
                         .mapped("date_order")).date()
        self.assertLess(last_order, self.today - relativedelta(months=3))

    def test_customer_since_from_the_history(self):
        for customer in self.customers:
            first_order = min(self.env["sale.order"].search([
                ("partner_id", "child_of", customer.id), ("state", "=", "sale")]).mapped("date_order"))
            self.assertTrue(customer.customer_since, customer.name)
            self.assertLessEqual(customer.customer_since, first_order.date(), customer.name)
        self.assertLess(self._customer("partner_power_plant_demo").customer_since,
                        self.today - relativedelta(years=5), "a long-standing customer")
