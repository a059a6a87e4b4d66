"""The customer's Strategy tab shows this year's plan's SWOT and competitors (issue 14, "Screens")
at the cost of at most one query on the customer form (issue 15), read as the user reads the plan,
every value escaped."""

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon
from .test_hot_screens import hot


@tagged("post_install", "-at_install")
class TestStrategyTab(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = fields.Date.context_today(cls.env["res.partner"]).year
        cls.rival = cls.env["res.partner"].create({"name": "Datong Rail Coal <b>Co</b>", "is_company": True})
        cls.rival_2 = cls.env["res.partner"].create({"name": "Inner Mongolia Open-Pit Coal", "is_company": True})
        cls.plan = cls.env["crm.account.plan"].create({
            "partner_id": cls.customer.id, "year": cls.year, "user_id": cls.sales_user.id,
            "swot_ids": [
                Command.create({"kind": "threat", "name": "Rail quota cut in winter"}),
                Command.create({"kind": "strength", "name": "Own rail siding\n<script>alert(1)</script>"}),
                Command.create({"kind": "opportunity", "name": "Second boiler in 2027"}),
            ],
            "competitor_ids": [
                Command.create({"competitor_id": cls.rival_2.id, "share": 12.5, "strengths": "Price"}),
                Command.create({"competitor_id": cls.rival.id, "share": 35, "strengths": "Mine-mouth <i>price</i>"}),
            ]})
        cls.other_sales = new_test_user(cls.env, login="crmi_tab_other_sales", groups="sales_team.group_sale_salesman")
        cls.quality_user = new_test_user(
            cls.env, login="crmi_tab_quality", groups="base.group_user,crm_industrial.group_complaint_user")

    def _tab(self, user, partner=None):
        partner = (partner or self.customer).with_user(user)
        partner.invalidate_recordset()
        return partner.strategy_swot_html, partner.strategy_competitor_html

    def test_swot_and_competitors_on_the_tab(self):
        swot, competitors = self._tab(self.sales_user)
        for heading in ("Strength", "Weakness", "Opportunity", "Threat"):
            self.assertIn(heading, swot)
        self.assertIn("&#8212;", swot, "no weakness recorded")
        self.assertLess(swot.index("Own rail siding"), swot.index("Second boiler"), "strengths first")
        self.assertLess(swot.index("Second boiler"), swot.index("Rail quota cut"))
        self.assertIn("Own rail siding<br>&lt;script&gt;alert(1)&lt;/script&gt;", str(swot).replace("<br/>", "<br>"))
        self.assertNotIn("<script>", swot)
        self.assertIn("Datong Rail Coal &lt;b&gt;Co&lt;/b&gt;", competitors)
        self.assertIn("Mine-mouth &lt;i&gt;price&lt;/i&gt;", competitors)
        self.assertIn(">35.0<", competitors)
        self.assertIn("Estimated Share (%)", competitors)
        self.assertLess(competitors.index("Datong"), competitors.index("Inner Mongolia"), "largest share first")
        # edited on the plan: the tab follows
        self.plan.competitor_ids.filtered(lambda line: line.competitor_id == self.rival).unlink()
        self.plan.swot_ids.unlink()
        swot, competitors = self._tab(self.sales_user)
        self.assertFalse(swot)
        self.assertNotIn("Datong", competitors)
        self.assertIn("Inner Mongolia", competitors)

    def test_only_this_years_plan_of_this_company(self):
        self.plan.year = self.year - 1
        self.assertEqual(self._tab(self.sales_user), (False, False))
        self.plan.year = self.year
        other_company = self.env["res.company"].create({"name": "Second Coal Co (tab test)"})
        self.sales_user.company_ids |= other_company
        partner = self.customer.with_user(self.sales_user).with_company(other_company)
        self.assertFalse(partner.strategy_swot_html, "another company's plan is not this company's tab")
        self.assertFalse(partner.strategy_competitor_html)

    def test_record_rules_apply(self):
        self.assertEqual(self._tab(self.other_sales), (False, False),
                         "a salesperson who may not read the plan sees none of its SWOT or competitors")
        swot, competitors = self._tab(self.quality_user)
        self.assertIn("Own rail siding", swot, "quality staff read every plan")
        self.assertIn("Datong", competitors)
        # the plan's own owner sees it even when the customer is someone else's
        self.plan.user_id = self.other_sales
        self.assertIn("Own rail siding", self._tab(self.other_sales)[0])

    def test_open_the_plan(self):
        action = self.customer.with_user(self.sales_user).action_open_current_account_plan()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.account.plan", self.plan.id))
        other = self.env["res.partner"].create({"name": "No Plan Yet Co", "is_company": True,
                                                "user_id": self.sales_user.id})
        with self.assertRaisesRegex(UserError, "no account plan for this year"):
            other.with_user(self.sales_user).action_open_current_account_plan()

    def test_form_cost_no_query_of_their_own(self):
        """The SWOT and competitors cost no query of their own on the customer form, however many
        points: they are read with the record counts (the form as the web client reads it, with and
        without the two fields)."""
        env = self.env(user=self.sales_user, su=False, context={
            "lang": "en_US", "tz": "Europe/Brussels", "uid": self.sales_user.id,
            "allowed_company_ids": [self.sales_user.company_id.id], "bin_size": True})
        spec, _arch = hot.view_spec(env["res.partner"], "form")
        self.assertIn("strategy_swot_html", spec)
        self.assertIn("strategy_competitor_html", spec)
        without_overview = {name: value for name, value in spec.items()
                            if name not in ("strategy_swot_html", "strategy_competitor_html")}

        def measure(fields_spec):
            for _warm in range(2):
                env["res.partner"].browse(self.customer.id).web_read(fields_spec)
                env.cr.flush()
                env.invalidate_all()
            before = env.cr.sql_log_count
            env["res.partner"].browse(self.customer.id).web_read(fields_spec)
            return env.cr.sql_log_count - before

        with_plan = measure(spec)
        self.assertEqual(with_plan, measure(without_overview))
        self.plan.write({
            "swot_ids": [Command.create({"kind": "weakness", "name": f"Point {index}"}) for index in range(20)],
            "competitor_ids": [Command.create({"competitor_id": self.env["res.partner"].create({
                "name": f"Rival {index}", "is_company": True}).id, "share": 1}) for index in range(5)],
        })
        self.assertEqual(measure(spec), with_plan, "more SWOT points and competitors cost no query")
        self.plan.year = self.year - 1
        self.assertEqual(measure(spec), measure(without_overview), "no plan this year: no query")
