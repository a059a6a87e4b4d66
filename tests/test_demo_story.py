"""The demo story holds: the test database is installed with demo data."""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

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
        self.assertTrue(all(order.create_date == order.date_order for order in orders), "made on the story's date")

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


@tagged("post_install", "-at_install")
class TestDemoSalespersonDay(TransactionCase):
    """Logging in as demo (Marc Demo, a salesperson who sees his own documents) shows his day:
    his key accounts with their orders and plans, visits due, a held quotation, a customer over
    its credit limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env.ref("base.user_demo")
        cls.as_demo = cls.env(user=cls.demo)

    def _customer(self, xmlid):
        return self.env.ref(f"crm_industrial.{xmlid}")

    def test_his_key_accounts_and_their_orders(self):
        mine = self.as_demo["res.partner"].search([("user_id", "=", self.demo.id), ("is_company", "=", True)])
        steel, fertiliser, pipes = (self._customer(xmlid) for xmlid in (
            "partner_steel_cement_demo", "partner_fertiliser_demo", "partner_pvc_pipes_demo"))
        self.assertLessEqual(steel | fertiliser | pipes, mine)
        self.assertEqual((steel | fertiliser | pipes).account_owner_id, self.demo)
        self.assertIn(steel.key_account_tier_id, self.env.ref("crm_industrial.crm_key_account_tier_strategic"))
        for customer in steel | fertiliser | pipes:
            orders = self.as_demo["sale.order"].search([("partner_id", "child_of", customer.id)])
            self.assertTrue(orders, customer.name)
            self.assertEqual(orders.user_id, self.demo, customer.name)
        # the other key accounts stay with the administrator, out of his sight
        plant = self._customer("partner_power_plant_demo")
        self.assertEqual(plant.user_id, self.env.ref("base.user_admin"))
        self.assertFalse(self.as_demo["sale.order"].search([("partner_id", "child_of", plant.id)]))

    def test_his_account_plans_visits_and_opportunity(self):
        plans = self.as_demo["crm.account.plan"].search([])
        self.assertEqual(plans, self.env.ref("crm_industrial.account_plan_steel_cement_demo")
                         | self.env.ref("crm_industrial.account_plan_fertiliser_demo"))
        self.assertEqual(plans.user_id, self.demo)
        fertiliser_plan = self.env.ref("crm_industrial.account_plan_fertiliser_demo")
        self.assertEqual(set(fertiliser_plan.swot_ids.mapped("kind")),
                         {"strength", "weakness", "opportunity", "threat"})
        self.assertEqual(fertiliser_plan.objective_ids.user_id, self.demo)
        visits = self.as_demo["mail.activity"].search([
            ("user_id", "=", self.demo.id),
            ("activity_type_id", "=", self.env.ref("crm_industrial.mail_activity_type_visit").id)])
        self.assertIn(self._customer("partner_steel_cement_demo").id, visits.mapped("res_id"))
        lead = self.as_demo["crm.lead"].search([("partner_id", "=", self._customer("partner_steel_cement_demo").id)])
        self.assertEqual(lead.user_id, self.demo)
        self.assertTrue(lead.missing_key_role_ids, "the opportunity's warning names the roles not involved")
        # the people he met are his meetings, not the system's
        meetings = self.as_demo["calendar.event"].search([
            ("partner_ids", "in", self._customer("partner_steel_cement_demo").child_ids.ids)])
        self.assertTrue(meetings)
        self.assertEqual(meetings.user_id, self.demo)

    def test_his_held_quotation(self):
        held = self.as_demo["sale.order"].search([("client_order_ref", "=", "FX-HOLD-002")])
        self.assertEqual(held.state, "draft")
        self.assertEqual(held.user_id, self.demo)
        rules = {finding["rule"] for finding in held.sudo().credit_hold_ids.findings}
        self.assertLessEqual({"rating", "over_limit"}, rules, "held for the rating, and over the credit limit")

    def test_over_credit_limit_filter(self):
        self.assertTrue(self.env.company.account_use_credit_limit)
        trader = self._customer("partner_small_trader_demo")
        for env in (self.env, self.as_demo):
            # the customers list's filter, as the search view gives it to this user
            arch = env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
            node = etree.fromstring(arch).xpath("//filter[@name='crm_industrial_over_credit_limit']")
            self.assertTrue(node, "the filter is there for a salesperson")
            self.assertEqual(env["res.partner"].search(safe_eval(node[0].get("domain"))), trader,
                             "the trader, not its contacts")
        self.assertGreater(trader.credit_usage, 100)
        for xmlid in ("partner_pvc_pipes_demo", "partner_chem_distributor_demo", "partner_haiyang_chemical_demo"):
            customer = self._customer(xmlid)
            self.assertTrue(0 < customer.credit_usage < 100, (customer.name, customer.credit_usage))


@tagged("post_install", "-at_install")
class TestDemoStoryCompleteness(TransactionCase):
    """Every screen of the story's key customers has something true to show (issue #12)."""

    def _ref(self, xmlid):
        return self.env.ref(f"crm_industrial.{xmlid}")

    def test_steel_group_rated_and_planned(self):
        """Marc Demo's strategic steel group: a credit rating with its reason and next review, and
        our strategy in its account plan."""
        steel = self._ref("partner_steel_cement_demo")
        today = fields.Date.context_today(steel)
        self.assertEqual(steel.key_account_tier_id, self._ref("crm_key_account_tier_strategic"))
        self.assertEqual(steel.account_owner_id, self.env.ref("base.user_demo"))
        ratings = self.env["crm.credit.rating"].search([("partner_id", "=", steel.id)])
        self.assertTrue(ratings, "a rating history entry")
        for rating in ratings:
            self.assertTrue(rating.reason)
            self.assertLessEqual(rating.date, today)
            self.assertGreater(rating.review_date, today, "a strategic customer's review is not overdue")
        plan = self._ref("account_plan_steel_cement_demo")
        self.assertEqual(plan.partner_id, steel)
        self.assertTrue(plan.our_strategy and plan.customer_strategy)

    def test_portal_customer_has_a_specification_our_product_meets(self):
        """The portal demo user's company sees a Specifications tile: a realistic standard, met by
        the product it is for (measured values on every parameter)."""
        from odoo.addons.crm_industrial.controllers.portal import CrmIndustrialPortal

        user = self._ref("user_portal_chem_distributor_demo")
        specs = self.env["crm.customer.spec"].search(CrmIndustrialPortal._spec_domain(user.partner_id))
        self.assertTrue(specs, "the portal's Specifications tile shows")
        spec = self._ref("crm_customer_spec_chem_distributor_flakes_demo")
        self.assertIn(spec, specs)
        self.assertTrue(spec.note)
        self.assertGreaterEqual(len(spec.line_ids), 3)
        product = self._ref("product_caustic_soda_flakes_demo")
        self.assertEqual(spec.product_tmpl_id, product.product_tmpl_id)
        values = {value.parameter_id: value.value for value in product.quality_value_ids}
        for line in spec.line_ids:
            self.assertIsNone(line._failure(values.get(line.parameter_id)), line.display_name)
