"""The screens of issue #14 as each role gets them: the customer's Strategy and Quality
Specifications tabs, account plans as list / kanban / pivot per year with execution %, the printable
account plan, the visits due list and calendar, and whitespace on the plan."""

from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon


@tagged("post_install", "-at_install")
class TestStrategyScreens(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality_user = new_test_user(
            cls.env, login="crmi_screens_quality", groups="base.group_user,crm_industrial.group_complaint_user")

    def _arch(self, model, view_type, user):
        return etree.fromstring(self.env[model].with_user(user).get_view(view_type=view_type)["arch"])

    def _action(self, xmlid):
        return self.env.ref(xmlid).sudo()

    def test_customer_tabs_by_role(self):
        sales = self._arch("res.partner", "form", self.sales_user)
        # this year's plan (its SWOT and competitors on the plan) and the insights; every year's plan
        # behind the Account Plans button (the customer form's cost, issue 15)
        strategy = "//page[@name='crm_industrial_strategy']"
        self.assertTrue(sales.xpath(f"{strategy}//field[@name='current_account_plan_id']"))
        self.assertTrue(sales.xpath(f"{strategy}//field[@name='customer_insight_ids']"))
        self.assertTrue(sales.xpath("//button[@name='action_open_account_plans']"))
        self.assertTrue(sales.xpath("//page[@name='crm_industrial_quality_specs']//field[@name='customer_spec_ids']"))
        quality = self._arch("res.partner", "form", self.quality_user)
        self.assertTrue(quality.xpath("//page[@name='crm_industrial_quality_specs']"))
        internal = self._arch("res.partner", "form", self.internal_user)
        self.assertFalse(internal.xpath("//page[@name='crm_industrial_strategy']"),
                         "an employee without sales, accounting or quality rights sees no strategy")

    def test_account_plan_views_and_printout(self):
        action = self._action("crm_industrial.crm_account_plan_action")
        self.assertEqual(action.view_mode.split(","), ["list", "kanban", "pivot", "form"])
        self.assertIn("search_default_this_year", action.context)
        for view_type in ("list", "kanban"):
            arch = self._arch("crm.account.plan", view_type, self.sales_user)
            self.assertTrue(arch.xpath("//field[@name='execution_rate']"), view_type)
        self.assertEqual(self._arch("crm.account.plan", "kanban", self.sales_user).get("default_group_by"), "year")
        pivot = self._arch("crm.account.plan", "pivot", self.sales_user)
        self.assertTrue(pivot.xpath("//field[@name='year'][@type='col']"))
        form = self._arch("crm.account.plan", "form", self.sales_user)
        self.assertTrue(form.xpath("//page[@name='whitespace']//button[@name='action_create_opportunity']"))
        report = self.env.ref("crm_industrial.crm_account_plan_report_action")
        self.assertEqual((report.model, report.report_type), ("crm.account.plan", "qweb-pdf"))

    def test_visits_due_list_and_calendar(self):
        action = self._action("crm_industrial.crm_visit_plan_action")
        self.assertEqual(action.view_mode.split(","), ["list", "calendar"])
        calendar = self._arch("crm.visit.plan", "calendar", self.sales_user)
        self.assertEqual(calendar.get("date_start"), "next_visit_due")
        listing = self._arch("crm.visit.plan", "list", self.sales_user)
        self.assertEqual(listing.get("decoration-danger"), "visit_overdue")
