"""Customer insights: the customer's timeline, source contacts of its own, and the financial-difficulty
guidance by tier with one activity for the account owner."""

from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

ACTIVITY = "crm_industrial.mail_activity_type_financial_difficulty"


@tagged("post_install", "-at_install")
class TestCustomerInsight(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.today = fields.Date.today()
        cls.sales_user = new_test_user(cls.env, login="crmi_insight_sales", groups="sales_team.group_sale_salesman",
                                       company_id=company.id, company_ids=[company.id])
        cls.other_sales = new_test_user(cls.env, login="crmi_insight_sales2",
                                        groups="sales_team.group_sale_salesman",
                                        company_id=company.id, company_ids=[company.id])
        cls.portal = new_test_user(cls.env, login="crmi_insight_portal", groups="base.group_portal",
                                   company_id=company.id, company_ids=[company.id])
        cls.strategic = cls.env.ref("crm_industrial.crm_key_account_tier_strategic")
        cls.occasional = cls.env["crm.key.account.tier"].search([("is_key_account", "=", False),
                                                                 ("is_inactive", "=", False)], limit=1)
        cls.customer = cls._customer("Anshan Foundry")
        cls.contact = cls.env["res.partner"].create({"name": "Zhou Min", "parent_id": cls.customer.id})
        cls.stranger = cls.env["res.partner"].create({"name": "Li Wei"})

    @classmethod
    def _customer(cls, name, tier=None):
        customer = cls.env["res.partner"].create({"name": name, "is_company": True, "user_id": cls.sales_user.id})
        if tier:
            customer.write({"key_account_tier_id": tier.id, "tier_locked": True, "tier_lock_reason": "Test"})
        return customer

    def _invoice(self, customer, amount, days_ago):
        day = self.today - timedelta(days=days_ago)
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": customer.id, "invoice_date": day, "date": day,
            "invoice_line_ids": [Command.create({"name": "Soda ash", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()

    def _decline(self, customer):
        """Real invoices: much more a year and a half ago than lately, then the nightly recompute."""
        self._invoice(customer, 100_000, 500)
        self._invoice(customer, 10_000, 40)
        self.env["crm.key.account.stat"]._recompute(customer)

    def _insight(self, customer, insight_type="financial_difficulty", **vals):
        return self.env["crm.customer.insight"].create({
            "partner_id": customer.id, "insight_type": insight_type, "summary": "Bank cut its credit line",
            "impact": "negative", "impact_amount": 50_000, **vals})

    @contextmanager
    def _refused(self, message):
        """A ValidationError saying `message`, rolled back like Odoo's assertRaises."""
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            yield

    def _difficulty_activities(self, customer):
        customer.invalidate_recordset()
        return customer.activity_ids.filtered(lambda act: act.activity_type_id == self.env.ref(ACTIVITY))

    # ------------------------------------------------------------ guidance

    def test_high_tier_guidance_and_one_activity(self):
        customer = self._customer("Tangshan Steel", self.strategic)
        self._decline(customer)
        insight = self._insight(customer)
        customer.invalidate_recordset()
        self.assertIn("Protect this customer", customer.financial_difficulty_guidance)
        activity = self._difficulty_activities(customer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales_user, "for the account owner")
        # another save, another insight, another night: still one
        insight.summary = "The bank cut its credit line by half"
        insight.insight_type = "financial_difficulty"
        self._insight(customer)
        self.env["crm.key.account.stat"]._recompute(customer)
        self.assertEqual(len(self._difficulty_activities(customer)), 1)
        # done, then the nights go on: the insights were dealt with
        activity.action_feedback(feedback="Offered 2% for three months")
        self.env["crm.key.account.stat"]._recompute(customer)
        self.assertFalse(self._difficulty_activities(customer))

    def test_low_tier_guidance_weighs_carefully(self):
        customer = self._customer("Small Glass Works", self.occasional)
        self._decline(customer)
        self._insight(customer)
        customer.invalidate_recordset()
        self.assertIn("Weigh carefully", customer.financial_difficulty_guidance)
        self.assertNotIn("Protect", customer.financial_difficulty_guidance)
        self.assertEqual(len(self._difficulty_activities(customer)), 1)

    def test_no_guidance_without_decline_until_the_volume_falls(self):
        customer = self._customer("Steady Mill", self.strategic)
        self._invoice(customer, 10_000, 500)
        self._invoice(customer, 10_000, 40)
        self.env["crm.key.account.stat"]._recompute(customer)
        self._insight(customer)
        customer.invalidate_recordset()
        self.assertFalse(customer.financial_difficulty_guidance)
        self.assertFalse(self._difficulty_activities(customer))
        # other insight types never guide
        other = self._customer("Other Mill", self.strategic)
        self._decline(other)
        self._insight(other, "competitor_move")
        self.assertFalse(self._difficulty_activities(other))
        # the volume falls later: the nightly recompute gives the activity
        self._invoice(customer, 200_000, 450)
        self.env["crm.key.account.stat"]._recompute(customer)
        self.assertEqual(len(self._difficulty_activities(customer)), 1)

    def test_guidance_never_changes_prices(self):
        customer = self._customer("Price Mill", self.strategic)
        customer.property_product_pricelist = self.env["product.pricelist"].create({"name": "Contract"})
        pricelist = customer.property_product_pricelist
        self._decline(customer)
        self._insight(customer)
        self.assertEqual(customer.property_product_pricelist, pricelist)
        self.assertFalse(pricelist.item_ids)

    # ------------------------------------------------------------ records

    def test_timeline_and_source_contact(self):
        old = self._insight(self.customer, "inventory_level", date=self.today - timedelta(days=30),
                            contact_id=self.contact.id, impact="positive")
        new = self._insight(self.customer, "personnel", date=self.today - timedelta(days=2))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_insight_ids, new | old)
        self.assertEqual(self.customer.customer_insight_ids[0], new, "newest first")
        self.assertEqual(self.customer.customer_insight_count, 2)
        # the form being edited keeps the saved counts
        with Form(self.customer.with_user(self.sales_user)) as form:
            form.name = "Anshan Foundry Group"
            self.assertEqual(form.customer_insight_count, 2)
        action = self.customer.action_open_customer_insights()
        self.assertEqual(self.env["crm.customer.insight"].search(action["domain"]), new | old)
        self.assertEqual(dict(self.env["crm.customer.insight"]._fields["insight_type"].selection)["downstream_demand"],
                         "Downstream Demand")
        with self._refused("does not belong"):
            self._insight(self.customer, "channel", contact_id=self.stranger.id)
        with self._refused("customer company"):
            self._insight(self.contact, "channel")
        with self._refused("cannot be negative"):
            self._insight(self.customer, "channel", impact_amount=-1)

    def test_follow_up_activity_once(self):
        insight = self._insight(self.customer, "channel", follow_up_date=self.today + timedelta(days=5))
        self.assertEqual(len(insight.activity_ids), 1)
        self.assertEqual(insight.activity_ids.user_id, self.sales_user)
        insight.follow_up_date = self.today + timedelta(days=9)
        self.assertEqual(len(insight.activity_ids), 1)
        self.assertEqual(insight.activity_ids.date_deadline, self.today + timedelta(days=9))

    def test_access(self):
        Insight = self.env["crm.customer.insight"]
        mine = Insight.with_user(self.sales_user).create({
            "partner_id": self.customer.id, "insight_type": "channel", "summary": "Opens a depot in Dalian"})
        mine.summary = "Opens two depots"
        self.assertEqual(mine.user_id, self.sales_user)
        others = self._customer("Someone Else's Plant")
        others.user_id = self.other_sales
        with self.assertRaises(AccessError):
            Insight.with_user(self.sales_user).with_context(crm_industrial_bypass=True).create({
                "partner_id": others.id, "insight_type": "channel", "summary": "Not mine"})
        # the flag and the author are the addon's, whatever a client sends
        mine.with_user(self.sales_user).write({"difficulty_notified": True, "user_id": self.other_sales.id})
        self.assertFalse(mine.difficulty_notified)
        self.assertEqual(mine.user_id, self.sales_user)
        with self.assertRaises(AccessError):
            Insight.with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            mine.with_user(self.other_sales).summary = "Mine now"
        # a sales manager sees and edits every customer's insights
        manager = new_test_user(self.env, login="crmi_insight_manager", groups="sales_team.group_sale_manager")
        self.assertEqual(Insight.with_user(manager).search([("id", "=", mine.id)]), mine)
        mine.with_user(manager).summary = "Opens two depots and a rail siding"
        theirs = Insight.with_user(manager).create({
            "partner_id": others.id, "insight_type": "personnel", "summary": "New purchasing director"})
        self.assertEqual(theirs.partner_id, others)


@tagged("post_install", "-at_install")
class TestStrategyDemo(TransactionCase):
    """The demo story's strategy: this year's plans with execution, and the glass works' difficulty."""

    def test_demo_plans_and_difficulty(self):
        plans = self.env["crm.account.plan"].search([("year", "=", fields.Date.today().year)])
        power_plant = self.env.ref("crm_industrial.partner_power_plant_demo")
        plan = plans.filtered(lambda plan: plan.partner_id == power_plant)
        self.assertEqual(len(plan.line_ids), 4, "coal by quarter")
        self.assertGreater(plan.actual_order_amount, 0)
        self.assertGreater(plan.execution_rate, 0)
        self.assertTrue(plan.swot_ids and plan.competitor_ids and plan.objective_ids)
        glass = self.env.ref("crm_industrial.partner_glass_works_demo")
        self.assertIn("Weigh carefully", glass.financial_difficulty_guidance)
        activities = glass.activity_ids.filtered(lambda act: act.activity_type_id == self.env.ref(ACTIVITY))
        self.assertEqual(len(activities), 1)
        self.assertTrue(glass.customer_insight_ids.filtered(lambda i: i.insight_type == "financial_difficulty"))
