"""The working lists a sales manager acts on, and the inactive tier."""


from odoo.tests import tagged

from .test_key_account import KeyAccountCommon


@tagged("post_install", "-at_install")
class TestWorkingLists(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big, cls.growing, cls.costly, cls.no_revenue = cls.env["res.partner"].create([
            {"name": name, "is_company": True} for name in (
                "Omega Power", "Growing Cement Works With A Very Long Name", "Costly Trading", "Refunded Ltd")])
        cls._invoice(cls.big, 100000)
        # growing, and paying late: promising only
        cls._invoice(cls.growing, 1000, days_ago=400)
        cls._invoice(cls.growing, 2000, days_ago=40)
        # flat, paying late: high upkeep
        cls._invoice(cls.costly, 1000, days_ago=400)
        cls._invoice(cls.costly, 900, days_ago=40)
        # no net revenue, late
        cls._invoice(cls.no_revenue, 800, days_ago=40)
        cls._invoice(cls.no_revenue, 800, days_ago=30, move_type="out_refund")
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

    def test_promising_and_high_upkeep_are_exclusive(self):
        promising, high_upkeep = self._list("is_promising"), self._list("is_high_upkeep")
        self.assertEqual(promising, self.growing)
        self.assertEqual(high_upkeep, self.costly)
        self.assertFalse(promising & high_upkeep)
        stats = self.Stat.search([("company_id", "=", self.env.company.id)])
        self.assertFalse(stats.filtered(lambda stat: stat.is_promising and stat.is_high_upkeep))

    def test_no_revenue_and_own_company_left_out(self):
        for name in ("is_high_upkeep", "is_promising", "is_declining"):
            self.assertNotIn(self.own, self._list(name), name)
        self.assertNotIn(self.no_revenue, self._list("is_high_upkeep"))
        self.assertNotIn(self.no_revenue, self._list("is_promising"))

    def test_declining(self):
        self.assertEqual(self._list("is_declining") & (self.costly | self.growing | self.big), self.costly)
        self.assertNotIn(self.costly, self.Stat.search([("is_declining", "=", False)]).partner_id)

    def test_rows_open_the_customer(self):
        action = self._stat(self.costly).action_open_customer()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.costly.id))
        arch = self.env.ref("crm_industrial.crm_key_account_stat_view_list").arch
        self.assertIn('action="action_open_customer"', arch)
        for xmlid in ("declining", "high_upkeep", "promising"):
            action = self.env.ref(f"crm_industrial.crm_key_account_stat_action_{xmlid}")
            self.assertIn("left out", action.help or "", xmlid)


    def test_pyramid_counts_and_revenue_per_tier(self):
        self.assertEqual(self.strategic.customer_count, 1)
        self.assertAlmostEqual(self.strategic.revenue_12m, 100000)
        occasional = self.Stat.search([("company_id", "=", self.env.company.id),
                                       ("applied_tier_id", "=", self.occasional.id)])
        self.assertEqual(self.occasional.customer_count, len(occasional))
        self.assertAlmostEqual(self.occasional.revenue_12m, sum(occasional.mapped("revenue_12m")))


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
