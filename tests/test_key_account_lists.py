"""The working lists a sales manager acts on, and the inactive tier."""

from datetime import timedelta

from odoo.tests import tagged

from .common import CrmIndustrialCommon
from .test_key_account import KeyAccountCommon

LISTS = ("is_declining", "is_high_upkeep", "is_promising", "is_lapsed")


@tagged("post_install", "-at_install")
class TestWorkingLists(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big, cls.rising, cls.growing, cls.costly, cls.no_revenue, cls.lapsed = cls.env["res.partner"].create([
            {"name": name, "is_company": True} for name in (
                "Omega Power", "Rising Chemicals", "Growing Cement Works With A Very Long Name", "Costly Trading",
                "Refunded Ltd", "Former Glassworks")])
        cls._invoice(cls.big, 100000)
        # growing and paying on time (payments registered on the due date): promising
        cls._pay(cls._invoice(cls.rising, 1000, days_ago=400), 0)
        cls._pay(cls._invoice(cls.rising, 2000, days_ago=40), 0)
        # growing, and paying late: high upkeep whatever the growth, never promising
        cls._invoice(cls.growing, 1000, days_ago=400)
        cls._pay(cls._invoice(cls.growing, 2000, days_ago=40), 20)
        # 10% down, paying late: high upkeep and declining
        cls._invoice(cls.costly, 1000, days_ago=400)
        cls._invoice(cls.costly, 900, days_ago=40)
        # no net revenue, late
        cls._invoice(cls.no_revenue, 800, days_ago=40)
        cls._invoice(cls.no_revenue, 800, days_ago=30, move_type="out_refund")
        # bought 500 days ago, paid on time, nothing since: inactive
        cls._pay(cls._invoice(cls.lapsed, 1500, days_ago=500), 0)
        # the seller's own company, invoiced (intercompany) and late
        cls.own = cls.env.company.partner_id
        cls._invoice(cls.own, 500, days_ago=400)
        cls._invoice(cls.own, 700, days_ago=40)
        cls.env["crm.key.account.stat"]._recompute()

    def _list(self, name):
        return self.Stat.search([("company_id", "=", self.env.company.id), (name, "=", True)]).partner_id

    def test_lower_tiers(self):
        self.assertTrue(self.big.key_account_tier_id.is_key_account)
        for customer in (self.growing, self.costly):
            self.assertFalse(customer.key_account_tier_id.is_key_account, customer.name)
            self.assertGreater(self._stat(customer).late_payment_share, 25, customer.name)
        self.assertEqual(self._stat(self.rising).late_payment_share, 0, "paid on the due date is on time")
        self.assertEqual(self.lapsed.key_account_tier_id, self.inactive)

    def test_definitions(self):
        self.assertEqual(self._list("is_promising"), self.rising)
        self.assertEqual(self._list("is_high_upkeep"), self.growing | self.costly)
        self.assertGreaterEqual(self._stat(self.growing).revenue_growth, 30, "growing, yet high upkeep")
        self.assertEqual(self._list("is_lapsed"), self.lapsed)
        self.assertEqual(self._list("is_declining") & (self.costly | self.growing | self.big | self.rising),
                         self.costly)
        self.assertNotIn(self.costly, self.Stat.search([("is_declining", "=", False)]).partner_id)

    def test_lists_are_exclusive(self):
        stats = self.Stat.search([("company_id", "=", self.env.company.id)])
        exclusive = [("is_promising", "is_high_upkeep"), ("is_promising", "is_declining"),
                     ("is_lapsed", "is_declining"), ("is_lapsed", "is_high_upkeep"), ("is_lapsed", "is_promising")]
        for first, second in exclusive:
            self.assertFalse(self._list(first) & self._list(second), (first, second))
            self.assertFalse(stats.filtered(lambda stat: stat[first] and stat[second]), (first, second))  # noqa: B023
        # the computed flags agree with the searches
        for name in LISTS:
            self.assertEqual(stats.filtered(name).partner_id, self._list(name), name)

    def test_paying_on_time_makes_a_growing_customer_promising(self):
        self.assertNotIn(self.growing, self._list("is_promising"))
        recent = self.env["account.move"].search([("partner_id", "=", self.growing.id),
                                                  ("invoice_date", ">", self.today - timedelta(days=100))])
        # the late payment was in fact on the due date: undo it and register it on time
        recent.line_ids.remove_move_reconcile()
        self._pay(recent, 0)
        self.Stat._recompute()
        self.assertIn(self.growing, self._list("is_promising"))
        self.assertNotIn(self.growing, self._list("is_high_upkeep"))

    def test_no_revenue_and_own_company_left_out(self):
        for name in LISTS:
            self.assertNotIn(self.own, self._list(name), name)
        self.assertNotIn(self.no_revenue, self._list("is_high_upkeep"))
        self.assertNotIn(self.no_revenue, self._list("is_promising"))

    def test_definitions_in_the_help(self):
        fields_ = self.Stat._fields
        self.assertIn("whatever their growth", fields_["is_high_upkeep"].help)
        self.assertIn("not costly", fields_["is_promising"].help)
        self.assertIn("10%", fields_["is_declining"].help)
        self.assertIn("inactive tier", fields_["is_lapsed"].help)

    def test_rows_open_the_customer(self):
        action = self._stat(self.costly).action_open_customer()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.costly.id))
        arch = self.env.ref("crm_industrial.crm_key_account_stat_view_list").arch
        self.assertIn('action="action_open_customer"', arch)
        for xmlid in ("declining", "high_upkeep", "promising", "lapsed"):
            action = self.env.ref(f"crm_industrial.crm_key_account_stat_action_{xmlid}")
            self.assertIn("left out", action.help or "", xmlid)


    def test_pyramid_counts_and_revenue_per_tier(self):
        self.assertEqual(self.strategic.customer_count, 1)
        self.assertAlmostEqual(self.strategic.revenue_12m, 100000)
        occasional = self.Stat.search([("company_id", "=", self.env.company.id),
                                       ("applied_tier_id", "=", self.occasional.id)])
        self.assertEqual(self.occasional.customer_count, len(occasional))
        self.assertAlmostEqual(self.occasional.revenue_12m, sum(occasional.mapped("revenue_12m")))

    def test_pyramid_view_shows_counts_and_revenue_highest_on_top(self):
        tiers = self.strategic | self.key | self.regular | self.occasional | self.inactive
        widths = [tier.pyramid_width for tier in tiers]
        self.assertEqual(widths, sorted(widths), "each band is wider than the one above")
        self.assertLess(widths[0], widths[-1])
        self.assertEqual(widths[-1], 100, "the inactive tier is the base")
        action = self.env.ref("crm_industrial.crm_key_account_tier_action_pyramid")
        self.assertEqual((action.res_model, action.view_mode), ("crm.key.account.tier", "kanban"))
        self.assertEqual(self.env.ref("crm_industrial.crm_industrial_pyramid_menu").action, action)
        arch = self.env["crm.key.account.tier"].with_user(self.sales_user).get_view(
            action.view_id.id, "kanban")["arch"]
        for name in ("customer_count", "revenue_12m", "pyramid_width"):
            self.assertIn(f'name="{name}"', arch)
        self.assertIn('action="action_open_customers"', arch)
        customers = self.env["crm.key.account.stat"].search(
            self.strategic.with_user(self.sales_user).action_open_customers()["domain"])
        self.assertEqual(customers.partner_id, self.big)


@tagged("post_install", "-at_install")
class TestInactiveTier(KeyAccountCommon):
    def test_customer_ordering_is_not_inactive(self):
        alpha, beta = self.customers[:2]
        self._invoice(alpha, 1000)
        for days_ago in range(5, 5 + 13 * 20, 20):
            self._order(beta, days_ago)
        self.Stat._recompute()
        stat = self._stat(beta)
        self.assertEqual(stat.order_count_12m, 13)
        self.assertNotEqual(beta.key_account_tier_id, self.inactive, "13 orders in the period: not inactive")
        self.assertEqual(beta.key_account_tier_id, self.occasional)

    def test_no_invoice_and_no_order_is_inactive(self):
        alpha, beta = self.customers[:2]
        self._invoice(alpha, 1000)
        self._invoice(beta, 1000, days_ago=500)
        self._order(beta, 500)
        self.Stat._recompute()
        self.assertEqual(beta.key_account_tier_id, self.inactive)


@tagged("post_install", "-at_install")
class TestWorkingListsDemo(CrmIndustrialCommon):
    """The demo story fills every working list (the test database is installed with demo data)."""

    def test_each_demo_list_has_a_customer(self):
        stats = self.env["crm.key.account.stat"].search([("company_id", "=", self.env.ref("base.main_company").id)])
        ref = self.env.ref
        expected = {
            "is_promising": ref("crm_industrial.partner_haiyang_chemical_demo"),
            "is_high_upkeep": ref("crm_industrial.partner_industrial_supplies_demo"),
            "is_declining": ref("crm_industrial.partner_glass_works_demo"),
            "is_lapsed": ref("crm_industrial.partner_coal_trader_demo"),
        }
        for name, customer in expected.items():
            self.assertIn(customer, stats.filtered(name).partner_id, name)
        self.assertFalse(stats.filtered(lambda stat: stat.is_promising and stat.is_high_upkeep))
        self.assertIn(ref("crm_industrial.partner_small_trader_demo"), stats.filtered("is_high_upkeep").partner_id)
