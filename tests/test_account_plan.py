"""Account plans: one per customer, company and year; the execution of each planned category and
period computed from real confirmed orders and posted invoices; access; bad input; the printout."""

from contextlib import contextmanager

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

YEAR = 2025


@tagged("post_install", "-at_install")
class TestAccountPlan(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.sales_user = new_test_user(cls.env, login="crmi_plan_sales", groups="sales_team.group_sale_salesman",
                                       company_id=company.id, company_ids=[company.id])
        cls.other_sales = new_test_user(cls.env, login="crmi_plan_sales2", groups="sales_team.group_sale_salesman",
                                        company_id=company.id, company_ids=[company.id])
        cls.manager = new_test_user(cls.env, login="crmi_plan_manager", groups="sales_team.group_sale_manager",
                                    company_id=company.id, company_ids=[company.id])
        cls.accountant = new_test_user(cls.env, login="crmi_plan_accountant", groups="account.group_account_user",
                                       company_id=company.id, company_ids=[company.id])
        cls.portal = new_test_user(cls.env, login="crmi_plan_portal", groups="base.group_portal",
                                   company_id=company.id, company_ids=[company.id])
        cls.customer, cls.others_customer = cls.env["res.partner"].create([
            {"name": "Anshan Foundry", "is_company": True, "user_id": cls.sales_user.id},
            {"name": "Baotou Rolling Mill", "is_company": True, "user_id": cls.other_sales.id},
        ])
        cls.buyer = cls.env["res.partner"].create({"name": "Zhou Min", "parent_id": cls.customer.id})
        cls.fuels = cls.env["product.category"].create({"name": "Fuels"})
        cls.coal = cls.env["product.category"].create({"name": "Coal", "parent_id": cls.fuels.id})
        cls.lump = cls.env["product.category"].create({"name": "Lump Coal", "parent_id": cls.coal.id})
        cls.ton = cls.env.ref("uom.product_uom_ton")
        cls.kg = cls.env.ref("uom.product_uom_kgm")
        Product = cls.env["product.product"]
        cls.thermal = Product.create({"name": "Thermal coal", "categ_id": cls.coal.id, "uom_id": cls.ton.id,
                                      "uom_po_id": cls.ton.id, "list_price": 100, "taxes_id": [Command.clear()]})
        cls.lump_coal = Product.create({"name": "Lump anthracite", "categ_id": cls.lump.id, "uom_id": cls.ton.id,
                                        "uom_po_id": cls.ton.id, "list_price": 200, "taxes_id": [Command.clear()]})
        cls.coke = Product.create({"name": "Coke breeze", "categ_id": cls.fuels.id, "uom_id": cls.kg.id,
                                   "uom_po_id": cls.kg.id, "list_price": 1, "taxes_id": [Command.clear()]})
        cls.bags = Product.create({"name": "Coal bags", "categ_id": cls.fuels.id, "list_price": 3,
                                   "taxes_id": [Command.clear()]})

    # ------------------------------------------------------------ helpers

    def _plan(self, lines, partner=None, year=YEAR, **vals):
        return self.env["crm.account.plan"].create({
            "partner_id": (partner or self.customer).id, "year": year,
            "line_ids": [Command.create({"uom_id": self.ton.id, **line}) for line in lines], **vals})

    def _order(self, day, lines, partner=None, pricelist=None, confirm=True):
        vals = {"partner_id": (partner or self.buyer).id, "order_line": [Command.create({
            "product_id": product.id, "product_uom_qty": qty, "price_unit": price, "tax_id": [Command.clear()],
            **({"product_uom": uom.id} if uom else {}),
        }) for product, qty, price, uom in lines]}
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = self.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(f"{day} 12:00:00")
        return order

    def _invoice(self, day, lines, move_type="out_invoice", currency=None):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": self.customer.id, "invoice_date": day, "date": day,
            "currency_id": (currency or self.env.company.currency_id).id,
            "invoice_line_ids": [Command.create({
                "product_id": product.id, "quantity": qty, "price_unit": price, "tax_ids": [Command.clear()],
                **({"product_uom_id": uom.id} if uom else {}),
            }) for product, qty, price, uom in lines]})
        move.action_post()
        return move

    @contextmanager
    def _refused(self, message):
        """A ValidationError saying `message`, rolled back like Odoo's assertRaises."""
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            yield

    def _line(self, plan, categ, period="year"):
        plan.invalidate_recordset()
        plan.line_ids.invalidate_recordset()
        return plan.line_ids.filtered(lambda line: line.categ_id == categ and line.period == period)

    # ------------------------------------------------------------ execution

    def test_execution_counts_each_sale_under_its_most_specific_category(self):
        plan = self._plan([
            {"categ_id": self.fuels.id, "planned_qty": 100, "planned_amount": 10_000},
            {"categ_id": self.coal.id, "planned_qty": 300, "planned_amount": 40_000},
        ])
        self._order(f"{YEAR}-03-10", [(self.thermal, 100, 100, None), (self.lump_coal, 50, 200, None),
                                      (self.coke, 2000, 1, None)])
        fuels, coal = self._line(plan, self.fuels), self._line(plan, self.coal)
        # coal and its sub-category lump coal count under Coal only, never again under Fuels
        self.assertAlmostEqual(coal.actual_order_qty, 150)
        self.assertAlmostEqual(coal.actual_order_amount, 20_000)
        # 2,000 kg of coke are 2 t in the line's unit
        self.assertAlmostEqual(fuels.actual_order_qty, 2)
        self.assertAlmostEqual(fuels.actual_order_amount, 2_000)
        self.assertAlmostEqual(coal.execution_rate, 50)
        self.assertAlmostEqual(plan.actual_order_amount, 22_000)
        self.assertAlmostEqual(plan.execution_rate, 100 * 22_000 / 50_000)
        self.assertFalse(fuels.qty_incomplete)
        # the execution analysis (pivot) reads the same rule
        self._invoice(f"{YEAR}-03-12", [(self.lump_coal, 10, 200, None)])
        self.env.flush_all()
        rows = self.env["crm.account.plan.execution"].search([("plan_id", "=", plan.id)])
        self.assertEqual({row.categ_id: (row.ordered_amount, row.invoiced_amount) for row in rows},
                         {self.fuels: (2_000, 0), self.coal: (20_000, 2_000)})
        # grouped by year (the pivot), the execution is the group's ordered over its planned amount
        # (22,000 / 50,000 = 44 %), not the average of the lines' 20 % and 50 %
        [group] = self.env["crm.account.plan.execution"].read_group(
            [("plan_id", "=", plan.id)], ["execution_rate", "invoiced_rate", "planned_amount"], ["year"])
        self.assertAlmostEqual(group["execution_rate"], 44)
        self.assertAlmostEqual(group["invoiced_rate"], 100 * 2_000 / 50_000)
        self.assertEqual(sorted(rows.mapped("execution_rate")), [20, 50])
        self.assertEqual(self.env["crm.account.plan.execution"].with_user(self.other_sales).search(
            [("plan_id", "=", plan.id)]), self.env["crm.account.plan.execution"], "another salesperson's customer")

    def test_units_of_another_kind_count_in_amount_only(self):
        plan = self._plan([{"categ_id": self.fuels.id, "planned_qty": 10, "planned_amount": 1_000}])
        self._order(f"{YEAR}-05-05", [(self.bags, 100, 3, None), (self.thermal, 3000, 0.1, self.kg)])
        line = self._line(plan, self.fuels)
        self.assertAlmostEqual(line.actual_order_qty, 3, msg="3,000 kg of coal ordered by the kilo are 3 t")
        self.assertAlmostEqual(line.actual_order_amount, 600)
        self.assertTrue(line.qty_incomplete, "bags do not convert to tonnes")

    def test_only_confirmed_orders_of_the_customer_company_and_year(self):
        plan = self._plan([{"categ_id": self.coal.id, "planned_amount": 1_000}])
        self._order(f"{YEAR}-06-01", [(self.thermal, 10, 100, None)])
        self._order(f"{YEAR}-06-02", [(self.thermal, 20, 100, None)], confirm=False)
        self._order(f"{YEAR - 1}-12-31", [(self.thermal, 30, 100, None)])
        self._order(f"{YEAR + 1}-01-01", [(self.thermal, 40, 100, None)])
        self._order(f"{YEAR}-06-03", [(self.thermal, 50, 100, None)], partner=self.others_customer)
        cancelled = self._order(f"{YEAR}-06-04", [(self.thermal, 60, 100, None)])
        cancelled._action_cancel()
        self.assertAlmostEqual(self._line(plan, self.coal).actual_order_qty, 10)

    def test_periods_follow_the_company_calendar(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        plan = self._plan([{"categ_id": self.coal.id, "period": "q1"}, {"categ_id": self.coal.id, "period": "q4"}],
                          year=YEAR + 1)
        self._plan([{"categ_id": self.coal.id, "period": "q4"}])
        order = self._order(f"{YEAR}-12-31", [(self.thermal, 3, 100, None)])
        # 31 December, 17:00 UTC is already 1 January in Shanghai: the next year's first quarter
        order.date_order = fields.Datetime.to_datetime(f"{YEAR}-12-31 17:00:00")
        self.assertAlmostEqual(self._line(plan, self.coal, "q1").actual_order_qty, 3)

    def test_quarters_count_only_their_own_dates(self):
        plan = self._plan([
            {"categ_id": self.coal.id, "period": "q1", "planned_qty": 100},
            {"categ_id": self.coal.id, "period": "q2", "planned_qty": 100},
        ])
        self._order(f"{YEAR}-01-01", [(self.thermal, 1, 100, None)])
        self._order(f"{YEAR}-03-31", [(self.thermal, 2, 100, None)])
        self._order(f"{YEAR}-04-01", [(self.thermal, 4, 100, None)])
        self._order(f"{YEAR}-10-01", [(self.thermal, 8, 100, None)])
        self.assertAlmostEqual(self._line(plan, self.coal, "q1").actual_order_qty, 3)
        self.assertAlmostEqual(self._line(plan, self.coal, "q2").actual_order_qty, 4)
        self.assertAlmostEqual(plan.actual_order_amount, 700, msg="Q4 is not planned: counted nowhere")

    def test_invoices_net_of_credit_notes_in_company_currency(self):
        plan = self._plan([{"categ_id": self.coal.id, "planned_qty": 100, "planned_amount": 10_000}])
        self._invoice(f"{YEAR}-02-10", [(self.thermal, 50, 100, None)])
        self._invoice(f"{YEAR}-02-20", [(self.thermal, 10, 100, None)], move_type="out_refund")
        # 2 EUR per unit of company currency: 4,000 EUR are 2,000
        self._invoice(f"{YEAR}-03-01", [(self.thermal, 20, 200, None)], currency=self.eur)
        self._invoice(f"{YEAR + 1}-01-02", [(self.thermal, 99, 100, None)])
        line = self._line(plan, self.coal)
        self.assertAlmostEqual(line.actual_invoiced_qty, 60)
        self.assertAlmostEqual(line.actual_invoiced_amount, 6_000)
        self.assertAlmostEqual(line.invoiced_rate, 60)
        self.assertAlmostEqual(line.actual_order_qty, 0, msg="invoices without orders are not orders")

    def test_order_in_foreign_currency_counts_in_company_currency(self):
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": self.eur.id})
        plan = self._plan([{"categ_id": self.coal.id, "planned_amount": 1_000}])
        self._order(f"{YEAR}-07-07", [(self.thermal, 10, 50, None)], pricelist=pricelist)
        self.assertAlmostEqual(self._line(plan, self.coal).actual_order_amount, 250)

    def test_execution_queries_do_not_grow_with_lines(self):
        categories = self.env["product.category"].create([
            {"name": f"Grade {index}", "parent_id": self.coal.id} for index in range(12)])
        small = self._plan([{"categ_id": categ.id, "planned_amount": 10} for categ in categories[:2]])
        big = self._plan([{"categ_id": categ.id, "period": period, "planned_amount": 10}
                          for categ in categories for period in ("q1", "q2", "q3", "q4")],
                         partner=self.others_customer)
        graded = self.env["product.product"].create({"name": "Grade 0 coal", "categ_id": categories[0].id,
                                                     "uom_id": self.ton.id, "uom_po_id": self.ton.id})
        self._order(f"{YEAR}-02-02", [(graded, 5, 100, None)])
        self._order(f"{YEAR}-02-02", [(graded, 7, 100, None)], partner=self.others_customer)

        def queries(plan):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            plan.mapped("execution_rate")
            return self.env.cr.sql_log_count - before

        self.assertEqual(len(big.line_ids), 48)
        queries(small | big)  # warm the caches of record rules and the like
        self.assertLessEqual(queries(big), queries(small))
        self.assertGreater(big.actual_order_amount + small.actual_order_amount, 0)

    # ------------------------------------------------------------ one plan per year

    def test_one_plan_per_customer_company_and_year(self):
        self._plan([])
        with self._refused("already has an account plan"):
            self._plan([])
        self._plan([], year=YEAR + 1)
        other = self.env["res.company"].create({"name": "Second Coal Company"})
        self.env["crm.account.plan"].create({"partner_id": self.customer.id, "year": YEAR, "company_id": other.id})
        plan_next = self.env["crm.account.plan"].search([("year", "=", YEAR + 1)])
        with self._refused("already has an account plan"):
            plan_next.year = YEAR

    def test_objectives_have_an_owner_a_due_date_and_progress(self):
        plan = self._plan([]).with_user(self.sales_user)
        plan.objective_ids = [
            Command.create({"name": "Win the Q3 tender", "date_deadline": f"{YEAR}-09-30", "progress": 40}),
            Command.create({"name": "Qualify the low-sulphur grade", "date_deadline": f"{YEAR}-03-31",
                            "progress": 100, "state": "done", "user_id": self.manager.id}),
        ]
        plan.invalidate_recordset(["objective_ids"])
        first, second = plan.objective_ids
        self.assertEqual(first.name, "Qualify the low-sulphur grade", "objectives follow their due dates")
        self.assertEqual((first.user_id, second.user_id), (self.manager, self.sales_user),
                         "an objective belongs to whoever takes it on, by default its author")
        self.assertEqual(str(second.date_deadline), f"{YEAR}-09-30")
        self.assertAlmostEqual(plan.objective_progress, 70)

    def test_copy_is_next_years_plan(self):
        plan = self._plan([{"categ_id": self.coal.id, "period": "q1", "planned_qty": 10}],
                          swot_ids=[Command.create({"kind": "threat", "name": "Cheaper mine"})])
        next_year = plan.copy()
        self.assertEqual(next_year.year, YEAR + 1)
        self.assertEqual(next_year.line_ids.mapped("planned_qty"), [10])
        self.assertEqual(next_year.swot_ids.name, "Cheaper mine")
        with self._refused("already has an account plan"):
            plan.copy()

    def test_other_companies_plans_are_invisible(self):
        other = self.env["res.company"].create({"name": "Second Coal Company"})
        customer = self.env["res.partner"].create({"name": "Far Steel", "is_company": True, "company_id": other.id})
        plan = self.env["crm.account.plan"].with_company(other).create({
            "partner_id": customer.id, "year": YEAR, "company_id": other.id,
            "line_ids": [Command.create({"categ_id": self.coal.id, "uom_id": self.ton.id})]})
        insight = self.env["crm.customer.insight"].with_company(other).create({
            "partner_id": customer.id, "company_id": other.id, "summary": "New furnace"})
        for model, record in (("crm.account.plan", plan), ("crm.account.plan.line", plan.line_ids),
                              ("crm.customer.insight", insight)):
            self.assertFalse(self.env[model].with_user(self.manager).search([("id", "=", record.id)]), model)
        with self.assertRaisesRegex(UserError, "Incompatible companies"), self.env.cr.savepoint():
            self.env["crm.account.plan"].create({"partner_id": customer.id, "year": YEAR})

    # ------------------------------------------------------------ bad input

    def test_bad_input_is_refused_clearly(self):
        with self._refused("cannot be negative"):
            self._plan([{"categ_id": self.coal.id, "planned_qty": -5}])
        with self._refused("cannot be negative"):
            self._plan([{"categ_id": self.coal.id, "planned_amount": -5}])
        with self._refused("whole year or by quarter"):
            self._plan([{"categ_id": self.coal.id, "period": "year"}, {"categ_id": self.coal.id, "period": "q1"}])
        with self._refused("twice"):
            self._plan([{"categ_id": self.coal.id, "period": "q1"}, {"categ_id": self.coal.id, "period": "q1"}])
        with self._refused("customer company"):
            self._plan([], partner=self.buyer)
        archived = self.env["res.partner"].create({"name": "Closed Mill", "is_company": True, "active": False})
        with self._refused("archived"):
            self._plan([], partner=archived)
        with self._refused("year"):
            self._plan([], year=20255)
        plan = self._plan([])
        with self._refused("between 0 and 100"):
            plan.objective_ids = [Command.create({"name": "Win the tender", "progress": 150})]
        competitor = self.env["res.partner"].create({"name": "Jinding Coal", "is_company": True})
        with self._refused("between 0 and 100"):
            plan.competitor_ids = [Command.create({"competitor_id": competitor.id, "share": 120})]
        with self._refused("computed"):
            plan.line_ids = [Command.create({"categ_id": self.coal.id, "uom_id": self.ton.id,
                                             "actual_order_amount": 5})]

    # ------------------------------------------------------------ access

    def test_salesperson_plans_own_customers_only(self):
        Plan = self.env["crm.account.plan"].with_user(self.sales_user)
        own = Plan.create({"partner_id": self.customer.id, "year": YEAR,
                           "line_ids": [Command.create({"categ_id": self.coal.id, "uom_id": self.ton.id,
                                                        "planned_amount": 5})]})
        own.line_ids.planned_amount = 10
        own.swot_ids = [Command.create({"kind": "threat", "name": "A cheaper mine"})]
        with self.assertRaises(AccessError):
            Plan.create({"partner_id": self.others_customer.id, "year": YEAR})
        # a context key grants nothing
        with self.assertRaises(AccessError):
            Plan.with_context(crm_industrial_manager=True, active_test=False).create(
                {"partner_id": self.others_customer.id, "year": YEAR + 1})
        with self.assertRaises(AccessError):
            own.user_id = self.other_sales
        others = self._plan([{"categ_id": self.coal.id}], partner=self.others_customer)
        self.assertFalse(Plan.search([("id", "=", others.id)]))
        with self.assertRaises(AccessError):
            others.with_user(self.sales_user).write({"our_strategy": "Take it over"})
        with self.assertRaises(AccessError):
            others.line_ids.with_user(self.sales_user).write({"planned_amount": 1})
        # a manager sees and hands over every plan; accountants read them, never write
        others.with_user(self.manager).user_id = self.sales_user
        others.with_user(self.sales_user).our_strategy = "Now mine to follow"
        self.assertEqual(self.env["crm.account.plan"].with_user(self.accountant).search_count(
            [("id", "in", (own | others).ids)]), 2)
        with self.assertRaises(AccessError):
            own.with_user(self.accountant).our_strategy = "No"
        with self.assertRaises(AccessError):
            self.env["crm.account.plan"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            own.with_user(self.portal).read(["name"])

    # ------------------------------------------------------------ printout

    def test_report_renders_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        strategic = self.env.ref("crm_industrial.crm_key_account_tier_strategic")
        self.customer.write({"key_account_tier_id": strategic.id})
        plan = self._plan([{"categ_id": self.coal.id, "planned_qty": 100, "planned_amount": 10_000}],
                          swot_ids=[Command.create({"kind": "strength", "name": "Steady sulphur"})])
        self._order(f"{YEAR}-03-10", [(self.thermal, 25, 100, None)])
        html = self.env["ir.actions.report"].with_context(lang="zh_CN")._render_qweb_html(
            "crm_industrial.crm_account_plan_report_action", plan.ids)[0].decode()
        self.assertIn("战略客户", html, "the customer's tier, in Chinese")
        self.assertIn("Steady sulphur", html)
        self.assertIn("2,500.00", html.replace("\u00a0", " "), "the ordered amount")
        self.assertIn(self.env.company.name, html, "the company's letterhead")
