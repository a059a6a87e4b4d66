from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import CrmIndustrialCommon


class KeyAccountCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.strategic = ref("crm_industrial.crm_key_account_tier_strategic")
        cls.key = ref("crm_industrial.crm_key_account_tier_key")
        cls.regular = ref("crm_industrial.crm_key_account_tier_regular")
        cls.occasional = ref("crm_industrial.crm_key_account_tier_occasional")
        cls.inactive = ref("crm_industrial.crm_key_account_tier_inactive")
        cls.today = fields.Date.today()
        cls.Stat = cls.env["crm.key.account.stat"]
        company = cls.env.company
        cls.sales_user = new_test_user(cls.env, login="crmi_ka_sales", groups="sales_team.group_sale_salesman",
                                       company_id=company.id, company_ids=[company.id])
        cls.sales_manager = new_test_user(cls.env, login="crmi_ka_manager", groups="sales_team.group_sale_manager",
                                          company_id=company.id, company_ids=[company.id])
        cls.customers = cls.env["res.partner"].create([
            {"name": name, "is_company": True, "user_id": cls.sales_user.id}
            for name in ("Alpha Power", "Beta Steel", "Gamma Chemicals", "Delta Trading")])

    @classmethod
    def _invoice(cls, partner, amount, days_ago=10, move_type="out_invoice", currency=None, quantity=1.0):
        day = cls.today - timedelta(days=days_ago)
        move = cls.env["account.move"].create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": day, "date": day,
            "invoice_date_due": day,
            "currency_id": (currency or cls.env.company.currency_id).id,
            "invoice_line_ids": [Command.create({
                "product_id": cls.product_a.id, "quantity": quantity, "price_unit": amount / quantity,
                "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, days_after_invoice):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({
                "payment_date": invoice.invoice_date + timedelta(days=days_after_invoice)})._create_payments()

    @classmethod
    def _order(cls, partner, days_ago):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 1})]})
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _stat(self, partner):
        return self.Stat.search([("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)])


@tagged("post_install", "-at_install")
class TestClassification(KeyAccountCommon):
    def test_pareto_tiers(self):
        alpha, beta, gamma, delta = self.customers
        for customer, amount in zip(self.customers, (6000, 2500, 1000, 500), strict=False):
            self._invoice(customer, amount)
        self.Stat._recompute()
        self.assertEqual([customer.key_account_tier_id for customer in self.customers],
                         [self.strategic, self.key, self.regular, self.occasional])
        self.assertAlmostEqual(self._stat(beta).revenue_share, 25.0)
        self.assertAlmostEqual(self._stat(beta).cumulative_share, 85.0)

    def test_ties_share_a_tier(self):
        alpha, beta, gamma, delta = self.customers
        for customer, amount in zip(self.customers, (4000, 4000, 1500, 500), strict=False):
            self._invoice(customer, amount)
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, beta.key_account_tier_id)
        self.assertEqual(alpha.key_account_tier_id, self.strategic)

    def test_credit_notes_and_zero_revenue(self):
        alpha, beta, gamma, delta = self.customers
        self._invoice(alpha, 5000)
        self._invoice(alpha, 1000, move_type="out_refund")
        self._invoice(beta, 800)
        self._invoice(beta, 800, move_type="out_refund")
        self.Stat._recompute()
        self.assertAlmostEqual(alpha.revenue_12m, 4000)
        self.assertAlmostEqual(self._stat(beta).revenue_12m, 0)
        self.assertEqual(beta.key_account_tier_id, self.occasional, "invoiced lately, but no net revenue")

    def test_multi_currency_in_company_currency(self):
        other = self.setup_other_currency("EUR")
        invoice = self._invoice(self.customers[0], 1000, currency=other)
        self.Stat._recompute()
        self.assertAlmostEqual(self.customers[0].revenue_12m, invoice.amount_untaxed_signed)
        self.assertNotAlmostEqual(invoice.amount_untaxed_signed, 1000)

    def test_inactive_without_recent_invoice(self):
        alpha, beta = self.customers[:2]
        self._invoice(alpha, 1000)
        self._invoice(beta, 9000, days_ago=500)
        self.Stat._recompute()
        self.assertEqual(beta.key_account_tier_id, self.inactive)
        self.env.company.key_account_inactive_days = 600
        self.Stat._recompute()
        self.assertEqual(beta.key_account_tier_id, self.occasional)

    def test_threshold_rule(self):
        self.env.company.key_account_rule = "threshold"
        alpha, beta = self.customers[:2]
        self._invoice(alpha, 1_200_000)
        self._invoice(beta, 300_000)
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, self.key)
        self.assertEqual(beta.key_account_tier_id, self.regular)

    def test_other_company_figures_are_separate(self):
        self._invoice(self.customers[0], 1000)
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        invoice = self.env["account.move"].with_company(other).create({
            "move_type": "out_invoice", "partner_id": self.customers[0].id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"name": "Coal", "price_unit": 7000, "tax_ids": []})]})
        invoice.action_post()
        self.Stat._recompute()
        self.Stat.with_company(other)._recompute()
        self.assertAlmostEqual(self.customers[0].revenue_12m, 1000)
        self.assertAlmostEqual(self.customers[0].with_company(other).revenue_12m, 7000)


@tagged("post_install", "-at_install")
class TestOverridesAndHistory(KeyAccountCommon):
    def test_lock_is_respected_and_needs_a_reason(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000)
        as_manager = alpha.with_user(self.sales_manager)
        with self.assertRaisesRegex(ValidationError, "locked"):
            as_manager.write({"tier_locked": True, "key_account_tier_id": self.regular.id})
        as_manager.write({"tier_locked": True, "key_account_tier_id": self.regular.id,
                          "tier_lock_reason": "Strategic partner for the new plant"})
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, self.regular)
        self.assertEqual(self._stat(alpha).tier_id, self.strategic, "the computed tier is still shown")

    def test_only_managers_change_or_lock_tiers(self):
        with self.assertRaises(AccessError):
            self.customers[0].with_user(self.sales_user).write({"key_account_tier_id": self.key.id})
        with self.assertRaises(AccessError):
            self.env["crm.key.account.tier"].with_user(self.sales_user).create({"name": "VIP"})
        self.assertTrue(self.env["crm.key.account.tier"].with_user(self.sales_user).search([]))
        self.assertTrue(self.strategic.with_user(self.sales_user).service_level_ids)

    def test_history_and_chatter(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000)
        self.Stat._recompute()
        history = alpha.tier_history_ids
        self.assertEqual(len(history), 1)
        self.assertTrue(history.automatic)
        self.assertEqual((history.old_tier_id, history.new_tier_id), (self.env["crm.key.account.tier"], self.strategic))
        self.assertIn("Strategic", alpha.message_ids[0].body)
        self.Stat._recompute()
        self.assertEqual(len(alpha.tier_history_ids), 1, "no change, no history")
        alpha.with_user(self.sales_manager).key_account_tier_id = self.key
        manual = alpha.tier_history_ids.sorted("id")[-1]
        self.assertFalse(manual.automatic)
        self.assertEqual(manual.user_id, self.sales_manager)

    def test_drop_creates_one_activity(self):
        alpha, beta = self.customers[:2]
        alpha.account_owner_id = self.sales_manager
        self._invoice(alpha, 5000)
        self._invoice(beta, 1000)
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, self.strategic)
        self._invoice(beta, 20000)
        self.Stat._recompute()
        self.Stat._recompute()
        drop_type = self.env.ref("crm_industrial.mail_activity_type_tier_drop")
        activities = alpha.activity_ids.filtered(lambda activity: activity.activity_type_id == drop_type)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.sales_manager)

    def test_payment_term_proposed_not_written_on_new_customer(self):
        """The tier's payment term is a proposal for a credit controller, never written silently."""
        partner = self.env["res.partner"].sudo().create({
            "name": "New Plant", "is_company": True, "key_account_tier_id": self.key.id})
        self.assertFalse(partner.property_payment_term_id)
        self.assertTrue(self.key.payment_term_id)
        self.assertIn(self.key.payment_term_id.name, partner.credit_terms_proposal)

    def test_sale_order_shows_the_tier(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000)
        self.Stat._recompute()
        order = self.env["sale.order"].create({"partner_id": alpha.id})
        self.assertEqual(order.key_account_tier_id, self.strategic)


@tagged("post_install", "-at_install")
class TestOrderCycleAndIndices(KeyAccountCommon):
    def test_cycle_and_overdue_with_one_activity(self):
        alpha = self.customers[0]
        for days_ago in (190, 160, 130, 100):
            self._order(alpha, days_ago)
        self._invoice(alpha, 1000)
        self.Stat._recompute()
        stat = self._stat(alpha)
        self.assertEqual(stat.purchase_cycle_days, 30)
        self.assertEqual(stat.last_order_date, self.today - timedelta(days=100))
        self.assertEqual(stat.next_order_expected, self.today - timedelta(days=70))
        self.assertTrue(alpha.order_overdue)
        self.assertIn(alpha, self.env["res.partner"].search([("order_overdue", "=", True)]))
        self.Stat._recompute()
        overdue_type = self.env.ref("crm_industrial.mail_activity_type_order_overdue")
        self.assertEqual(len(alpha.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type)), 1)

    def test_inactive_customer_is_not_also_overdue(self):
        """A customer gone quiet for the whole inactivity period is on the Inactive list: its order
        is no longer 'overdue' (no banner, no activity, not Declining)."""
        alpha = self.customers[0]
        for days_ago in (520, 490, 460, 430):
            self._order(alpha, days_ago)
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, self.inactive)
        self.assertFalse(self._stat(alpha).order_overdue)
        overdue_type = self.env.ref("crm_industrial.mail_activity_type_order_overdue")
        self.assertFalse(alpha.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type))
        self.env.company.key_account_inactive_days = 600  # not inactive that long: overdue again
        self.Stat._recompute()
        self.assertTrue(self._stat(alpha).order_overdue)

    def test_regular_customer_not_overdue(self):
        alpha = self.customers[0]
        for days_ago in (95, 65, 35, 5):
            self._order(alpha, days_ago)
        self.Stat._recompute()
        self.assertFalse(self._stat(alpha).order_overdue)

    def test_development_index(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000, days_ago=400)
        self._invoice(alpha, 1500, days_ago=20)
        for days_ago in (80, 50, 20):
            self._order(alpha, days_ago)
        self.Stat._recompute()
        stat = self._stat(alpha)
        self.assertAlmostEqual(stat.revenue_growth, 50.0)
        # 60% × (0.5 + 1) / 2 + 40% × 3 / 12, times 100
        self.assertAlmostEqual(stat.development_index, 55.0)
        help_text = self.env["res.partner"].fields_get(["development_index"])["development_index"]["help"]
        self.assertIn("60% revenue growth", help_text)

    def test_benefit_index_and_margin(self):
        alpha = self.customers[0]
        on_time = self._invoice(alpha, 1000, days_ago=60)
        late = self._invoice(alpha, 1000, days_ago=50)
        self._pay(on_time, 0)
        self._pay(late, 20)
        self.Stat._recompute()
        stat = self._stat(alpha)
        self.assertAlmostEqual(stat.late_payment_share, 50.0)
        self.assertAlmostEqual(stat.benefit_index, 75.0, msg="(50% paid on time + 100% orders without complaint) / 2")
        self.assertAlmostEqual(stat.gross_margin_12m, 2000 - 2 * self.product_a.standard_price)
        self.assertAlmostEqual(stat.gross_margin_rate, 100 * stat.gross_margin_12m / 2000)
        search_view = self.env.ref("crm_industrial.crm_key_account_stat_view_search")
        self.assertIn("is_high_upkeep", search_view.arch)
        self.assertIn("gross_margin_rate", str(self.Stat._working_list_domains()["is_high_upkeep"]))

    def test_benefit_index_counts_complaints_and_satisfaction(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000, days_ago=0)  # due today: not late
        for days_ago in (60, 30, 10, 5):
            self._order(alpha, days_ago)
        alpha.email = "quality@alpha-power.example.com"
        complaint = self.env["crm.complaint"].create({"subject": "Wet coal", "partner_id": alpha.id})
        self.Stat._recompute()
        self.assertAlmostEqual(self._stat(alpha).benefit_index, (100 + 75) / 2, msg="1 complaint for 4 orders")
        complaint.write({"root_cause_category": "logistics", "resolution": "Covered wagons",
                         "stage_id": self.env.ref("crm_industrial.crm_complaint_stage_closed").id})
        complaint.rating_apply(2, token=complaint._rating_get_access_token())
        self.Stat._recompute()
        self.assertAlmostEqual(self._stat(alpha).benefit_index, round((100 + 75 + 25) / 3, 1))

    def test_cron_and_button_agree(self):
        for customer, amount in zip(self.customers, (5000, 3000, 1000, 200), strict=False):
            self._invoice(customer, amount)
            self._order(customer, 30)
        self.Stat.sudo()._cron_recompute()
        columns = self.Stat._figure_columns() + ["applied_tier_id"]
        by_cron = self._stat(self.customers[1]).read(columns, load=None)[0]
        del by_cron["id"]
        self.Stat.sudo().search([]).unlink()
        self.customers[1:3].action_recompute_key_account()
        by_button = self._stat(self.customers[1]).read(columns, load=None)[0]
        del by_button["id"]
        self.assertEqual(by_button, by_cron)
        self.assertFalse(self._stat(self.customers[3]), "only the selection was written")

    def test_search_and_group_by_tier(self):
        for customer, amount in zip(self.customers, (6000, 2500, 1000, 500), strict=False):
            self._invoice(customer, amount)
        self.Stat._recompute()
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([("revenue_12m", ">", 2000), ("id", "in", self.customers.ids)]),
                         self.customers[:2])
        groups = dict(Partner._read_group([("id", "in", self.customers.ids)], ["key_account_tier_id"], ["__count"]))
        self.assertEqual(groups[self.strategic], 1)
        self.assertEqual(groups[self.occasional], 1)

    def test_forms_open_for_sales_users(self):
        for model in ("res.partner", "sale.order", "crm.key.account.tier"):
            views = self.env[model].with_user(self.sales_user).get_views([(False, "form"), (False, "list")])
            self.assertTrue(views["views"]["form"]["arch"])
        arch = self.env["res.partner"].with_user(self.sales_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="tier_lock_reason"', arch, "locking is for sales managers")

    def test_sales_user_reads_figures(self):
        self._invoice(self.customers[0], 1000)
        self.Stat._recompute()
        as_sales = self.customers[0].with_user(self.sales_user)
        self.assertAlmostEqual(as_sales.revenue_12m, 1000)
        self.assertEqual(as_sales.key_account_tier_id, self.strategic)
        self.assertTrue(self.Stat.with_user(self.sales_user).search([]))
        with self.assertRaises(AccessError):
            self.Stat.with_user(self.sales_user).search([]).write({"revenue_12m": 1})


@tagged("post_install", "-at_install")
class TestRecomputeQueries(KeyAccountCommon):
    def _steady_recompute_queries(self, customers):
        for customer in customers:
            self._invoice(customer, 1000)
            self._order(customer, 20)
        self.Stat._recompute()
        before = self.env.cr.sql_log_count
        self.Stat._recompute()
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_customers(self):
        few = self._steady_recompute_queries(self.customers)
        many = self.env["res.partner"].create([{"name": f"Customer {n}", "is_company": True} for n in range(40)])
        self.assertEqual(self._steady_recompute_queries(many), few)


@tagged("post_install", "-at_install")
class TestKeyAccountDemo(CrmIndustrialCommon):
    """The demo story's pyramid (the test database is installed with demo data)."""

    def test_demo_pyramid(self):
        ref = self.env.ref
        plant = ref("crm_industrial.partner_power_plant_demo")
        self.assertEqual(plant.key_account_tier_id, ref("crm_industrial.crm_key_account_tier_strategic"))
        glass = ref("crm_industrial.partner_glass_works_demo")
        self.assertTrue(glass.order_overdue, "the declining glass works stopped ordering")
        self.assertTrue(glass.activity_ids.filtered(
            lambda activity: activity.activity_type_id == ref("crm_industrial.mail_activity_type_order_overdue")))
        tiers = self.env["crm.key.account.stat"].search([]).applied_tier_id
        self.assertGreaterEqual(len(tiers), 4, "the demo customers spread over the pyramid")
