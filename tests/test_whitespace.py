"""Whitespace: the product categories comparable customers (same industry and tier, same company)
buy and a customer does not, or buys much less of for its size, from posted invoices of the last
12 months, in one query; each row becomes an opportunity in one click."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_industrial.models.crm_customer_whitespace import MIN_PEER_BUYERS


@tagged("post_install", "-at_install")
class TestWhitespace(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        company = cls.env.company
        cls.sales_user = new_test_user(cls.env, login="crmi_ws_sales", groups="sales_team.group_sale_salesman",
                                       company_id=company.id, company_ids=[company.id])
        cls.portal = new_test_user(cls.env, login="crmi_ws_portal", groups="base.group_portal")
        cls.key = cls.env.ref("crm_industrial.crm_key_account_tier_key")
        cls.regular = cls.env.ref("crm_industrial.crm_key_account_tier_regular")
        cls.industry = cls.env["res.partner.industry"].create({"name": "Boilers (whitespace test)"})
        cls.other_industry = cls.env["res.partner.industry"].create({"name": "Glass (whitespace test)"})
        Category = cls.env["product.category"]
        cls.coal, cls.chem, cls.salt = (Category.create({"name": f"{name} (ws)"}) for name in ("Coal", "Chem", "Salt"))
        cls.products = {categ: cls.env["product.product"].create({"name": f"P {categ.name}", "categ_id": categ.id})
                        for categ in (cls.coal, cls.chem, cls.salt)}
        cls.A, cls.B, cls.C, cls.S, cls.L = cls._customers("A", "B", "C", "S", "L")
        # category revenue per customer of the peer group (industry, key tier)
        cls.bought = {
            cls.A: {cls.coal: 600, cls.chem: 400},
            cls.B: {cls.coal: 600, cls.chem: 400},
            cls.C: {cls.coal: 2000},
            cls.S: {cls.coal: 120, cls.chem: 30},
            cls.L: {cls.coal: 10000, cls.chem: 300},
        }
        for partner, lines in cls.bought.items():
            cls._invoice(partner, lines)
        # salt is bought only outside the peer group: another industry, another tier, long ago
        cls.D, = cls._customers("D", industry=cls.other_industry)
        cls.E, = cls._customers("E", tier=cls.regular)
        cls._invoice(cls.D, {cls.salt: 5000, cls.coal: 100})
        cls._invoice(cls.E, {cls.salt: 5000, cls.coal: 100})
        cls._invoice(cls.A, {cls.salt: 9000}, days_ago=400)

    @classmethod
    def _customers(cls, *names, industry=None, tier=None):
        partners = cls.env["res.partner"].create([
            {"name": f"WS {name}", "is_company": True, "user_id": cls.sales_user.id,
             "industry_id": (industry or cls.industry).id} for name in names])
        for partner in partners:
            partner.key_account_tier_id = tier or cls.key
        return partners

    @classmethod
    def _invoice(cls, partner, lines, days_ago=10, move_type="out_invoice", company=None):
        day = cls.today - timedelta(days=days_ago)
        move = cls.env["account.move"].with_company(company or cls.env.company).create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": day, "date": day,
            "invoice_line_ids": [Command.create({
                "product_id": cls.products[categ].id, "quantity": 1, "price_unit": amount,
                "tax_ids": [Command.clear()]}) for categ, amount in lines.items()],
        })
        move.action_post()
        return move

    def _rows(self, partner, company=None):
        return self.env["crm.customer.whitespace"].search([
            ("partner_id", "=", partner.id), ("company_id", "=", (company or self.env.company).id)])

    def _expected(self, partner, categ):
        """The peers' share of `categ` (without `partner`) applied to the partner's revenue."""
        peers = {p: lines for p, lines in self.bought.items() if p != partner}
        peer_total = sum(sum(lines.values()) for lines in peers.values())
        peer_categ = sum(lines.get(categ, 0) for lines in peers.values())
        return peer_categ / peer_total * sum(self.bought[partner].values())

    def test_category_not_bought_by_the_customer(self):
        row = self._rows(self.C)
        self.assertEqual(row.categ_id, self.chem)
        self.assertTrue(row.not_bought)
        self.assertEqual(row.peer_count, 4)
        self.assertAlmostEqual(row.expected_revenue, self._expected(self.C, self.chem), places=2)
        self.assertAlmostEqual(row.potential_revenue, self._expected(self.C, self.chem), places=2)
        self.assertAlmostEqual(row.customer_revenue, 2000)

    def test_size_normalisation(self):
        big = self._rows(self.L)
        self.assertEqual(big.categ_id, self.chem, "300 of chemicals is little for a customer of 10,300")
        self.assertFalse(big.not_bought)
        self.assertAlmostEqual(big.category_revenue, 300)
        self.assertAlmostEqual(big.potential_revenue, self._expected(self.L, self.chem) - 300, places=2)
        self.assertFalse(self._rows(self.S), "30 of chemicals is in line with peers for a customer of 150")

    def test_categories_already_bought_and_other_groups_excluded(self):
        self.assertFalse(self._rows(self.A), "A buys both categories in line with its peers")
        self.assertNotIn(self.salt, self.env["crm.customer.whitespace"].search([
            ("partner_id", "in", (self.A | self.B | self.C | self.S | self.L).ids)]).categ_id,
            "salt is bought by another industry, another tier, or more than 12 months ago")

    def test_credit_notes_are_deducted(self):
        self._invoice(self.L, {self.chem: 300}, move_type="out_refund")
        self.bought = {**self.bought, self.L: {self.coal: 10000}}
        row = self._rows(self.L)
        self.assertTrue(row.not_bought)
        self.assertAlmostEqual(row.potential_revenue, self._expected(self.L, self.chem), places=2)

    def test_other_companies_data_excluded(self):
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        for partner in (self.A, self.B):
            partner.with_company(other).key_account_tier_id = self.key
        self.C.with_company(other).key_account_tier_id = self.key
        self._invoice(self.A, {self.salt: 1000, self.coal: 100}, company=other)
        self._invoice(self.B, {self.salt: 500, self.coal: 100}, company=other)
        self._invoice(self.C, {self.coal: 1000}, company=other)
        self.assertNotIn(self.salt, self._rows(self.C).categ_id, "company B's sales are not company A's peers")
        row_b = self._rows(self.C, company=other)
        self.assertEqual(row_b.categ_id, self.salt)
        self.assertAlmostEqual(row_b.customer_revenue, 1000)
        self.assertFalse(self.env["crm.customer.whitespace"].with_user(self.sales_user).search([
            ("company_id", "=", other.id)]), "rows of a company the user cannot work in are hidden")

    def test_query_count_does_not_grow_with_customers(self):
        Whitespace = self.env["crm.customer.whitespace"]

        def queries(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners.mapped("whitespace_ids.potential_revenue")
            Whitespace.search_read([("company_id", "=", self.env.company.id)], ["partner_id", "potential_revenue"])
            return self.env.cr.sql_log_count - before

        queries(self.C | self.L)  # warm the caches of access rules and rights
        few = queries(self.C | self.L)
        more = self._customers(*(f"X{i}" for i in range(8)))
        for partner in more:
            self._invoice(partner, {self.coal: 500})
        many = self.C | self.L | more
        self.env.invalidate_all()  # new partners' cache holds an empty whitespace list
        self.assertEqual(len(many.whitespace_ids), 10)
        self.assertEqual(queries(many), few)

    def test_one_buyer_is_no_pattern(self):
        """A category is suggested only when at least MIN_PEER_BUYERS (2) comparable customers buy
        it; the row says how many do, and so does the opportunity made from it."""
        self.assertEqual(MIN_PEER_BUYERS, 2)
        industry = self.env["res.partner.industry"].create({"name": "Coke ovens (whitespace test)"})
        first, second, third = self._customers("P1", "P2", "P3", industry=industry)
        self._invoice(first, {self.coal: 1000, self.salt: 500})
        self._invoice(second, {self.coal: 1000})
        self._invoice(third, {self.coal: 1000})
        self.env.invalidate_all()
        self.assertFalse(self._rows(second) | self._rows(third),
                         "salt is bought by one comparable customer only: not suggested")
        self._invoice(third, {self.salt: 500})
        self.env.invalidate_all()
        row = self._rows(second)
        self.assertEqual(row.categ_id, self.salt)
        self.assertEqual(row.peer_count, 2, "the two comparable customers who buy salt")
        self.assertIn("at least 2 did", row.fields_get(["peer_count"])["peer_count"]["help"])
        lead = self.env["crm.lead"].browse(row.with_user(self.sales_user).action_create_opportunity()["res_id"])
        self.assertIn("2 comparable customers", lead.description)
        self.assertFalse(self._rows(first), "the others buy salt like their peers")

    def test_sales_user_creates_an_opportunity_in_one_click(self):
        row = self._rows(self.C).with_user(self.sales_user)
        action = row.action_create_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual((lead.type, lead.partner_id, lead.user_id), ("opportunity", self.C, self.sales_user))
        self.assertAlmostEqual(lead.expected_revenue, round(row.potential_revenue, 2))
        self.assertIn(self.chem.name, lead.name)
        self.assertEqual(lead.create_uid, self.sales_user)

    def test_shown_on_the_account_plan(self):
        Plan = self.env["crm.account.plan"].with_user(self.sales_user)
        plans = Plan.create([{"partner_id": partner.id, "year": self.today.year} for partner in (self.C, self.A)])
        self.assertEqual(plans[0].whitespace_ids, self._rows(self.C))
        self.assertEqual(plans[0].whitespace_ids.categ_id, self.chem)
        self.assertFalse(plans[1].whitespace_ids, "A buys like its peers")
        action = plans[0].whitespace_ids.action_create_opportunity()
        self.assertEqual(self.env["crm.lead"].browse(action["res_id"]).partner_id, self.C)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["crm.customer.whitespace"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self._rows(self.C).with_user(self.portal).action_create_opportunity()


@tagged("post_install", "-at_install")
class TestWhitespaceDemo(AccountTestInvoicingCommon):
    def test_demo_whitespace_becomes_an_opportunity(self):
        paper_mill = self.env.ref("crm_industrial.partner_paper_mill_demo")
        admin = self.env.ref("base.user_admin")
        rows = paper_mill.with_user(admin).whitespace_ids
        self.assertTrue(rows, "the paper mill buys few basic chemicals, unlike comparable customers")
        row = rows[:1]
        self.assertGreaterEqual(row.peer_count, MIN_PEER_BUYERS)
        lead = self.env["crm.lead"].browse(row.action_create_opportunity()["res_id"])
        self.assertEqual((lead.partner_id, lead.type), (paper_mill, "opportunity"))
        self.assertGreater(lead.expected_revenue, 0)

    def test_demo_suggestions_rest_on_several_buyers(self):
        rows = self.env["crm.customer.whitespace"].sudo().search([])
        self.assertTrue(rows)
        self.assertFalse(rows.filtered(lambda row: row.peer_count < MIN_PEER_BUYERS),
                         "no suggestion rests on a single comparable buyer")
