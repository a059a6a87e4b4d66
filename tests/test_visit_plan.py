"""Visit plan: the tier's visit frequency and the last real visit (past meetings with the customer's
people, done Visit activities) give the next visit due; overdue visits give the account owner one
activity; strategic accounts are flagged when no executive visit took place in the tier's interval."""

from datetime import datetime, time, timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmIndustrialCommon


@tagged("post_install", "-at_install")
class TestVisitPlan(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["crm.visit.plan"])
        cls.key = cls.env.ref("crm_industrial.crm_key_account_tier_key")
        cls.strategic = cls.env.ref("crm_industrial.crm_key_account_tier_strategic")
        cls.key.visit_frequency_days = 30
        cls.strategic.write({"visit_frequency_days": 14, "executive_visit_days": 180})
        cls.customer.key_account_tier_id = cls.key
        cls.visit_type = cls.env.ref("crm_industrial.mail_activity_type_visit")
        cls.executive_type = cls.env.ref("crm_industrial.mail_activity_type_executive_visit")

    def _meeting(self, days_ago, partner=None, executive=False):
        start = datetime.combine(self.today - timedelta(days=days_ago), time(9))
        return self.env["calendar.event"].create({
            "name": "Visit", "start": start, "stop": start + timedelta(hours=2), "is_executive_visit": executive,
            "partner_ids": [Command.link((partner or self.customer_contact).id)]})

    def _done_activity(self, days_ago, activity_type=None, partner=None):
        partner = partner or self.customer_contact
        activity = partner.activity_schedule(activity_type_id=(activity_type or self.visit_type).id,
                                             user_id=self.sales_user.id)
        activity.action_feedback(feedback="Visited the plant")
        message = self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("mail_activity_type_id", "=", (activity_type or self.visit_type).id)], order="id desc", limit=1)
        message.date = datetime.combine(self.today - timedelta(days=days_ago), time(10))

    def _plan(self, partner=None):
        Plan = self.env["crm.visit.plan"]
        Plan._refresh(self.env.company)
        return Plan.search([("partner_id", "=", (partner or self.customer).id),
                            ("company_id", "=", self.env.company.id)])

    def _visit_activities(self, partner=None):
        return (partner or self.customer).activity_ids.filtered(lambda act: act.activity_type_id == self.visit_type)

    def test_never_visited_is_due_today_not_overdue(self):
        plan = self._plan()
        self.assertFalse(plan.last_visit_date)
        self.assertEqual(plan.next_visit_due, self.today)
        self.assertFalse(plan.visit_overdue, "due today is due, not overdue")
        self.assertEqual(plan.overdue_days, 0)
        self.assertFalse(self._visit_activities())
        self.assertEqual((plan.tier_id, plan.user_id, plan.visit_frequency_days), (self.key, self.sales_user, 30))
        Plan = self.env["crm.visit.plan"]
        search_view = etree.fromstring(self.env.ref("crm_industrial.crm_visit_plan_view_search").arch_db)
        due_domain = safe_eval(search_view.xpath("//filter[@name='due']")[0].get("domain"),
                               {"context_today": lambda: self.today})
        self.assertIn(plan, Plan.search(due_domain), "listed as due, the list's default filter")
        self.assertNotIn(plan, Plan.search([("visit_overdue", "=", True)]), "not listed as overdue")

    def test_never_visited_falls_overdue_the_days_after_it_entered_the_plan(self):
        self._plan().sudo().next_visit_due = self.today - timedelta(days=3)  # entered the plan 3 days ago
        plan = self._plan()
        self.assertEqual(plan.next_visit_due, self.today - timedelta(days=3), "the due date stays")
        self.assertTrue(plan.visit_overdue)
        self.assertEqual(plan.overdue_days, 3)
        activity = self._visit_activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("has no recorded visit", activity.note)

    def test_due_today_after_a_visit_is_not_overdue(self):
        self._meeting(30)
        plan = self._plan()
        self.assertEqual(plan.next_visit_due, self.today)
        self.assertFalse(plan.visit_overdue)
        self.assertEqual(plan.overdue_days, 0)
        self._meeting(31, partner=self.customer)
        self.env["calendar.event"].search([("partner_ids", "in", self.customer_contact.ids)]).unlink()
        plan = self._plan()
        self.assertEqual((plan.visit_overdue, plan.overdue_days), (True, 1), "one day past due is overdue")

    def test_due_date_from_last_past_meeting_with_a_contact(self):
        self._meeting(50)
        self._meeting(10)
        self._meeting(-5)  # planned, not a visit yet
        plan = self._plan()
        self.assertEqual(plan.last_visit_date, self.today - timedelta(days=10))
        self.assertEqual(plan.next_visit_due, self.today + timedelta(days=20))
        self.assertFalse(plan.visit_overdue)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.next_visit_due, self.today + timedelta(days=20))
        self.assertEqual(self.customer.last_visit_date, self.today - timedelta(days=10))

    def test_meeting_refreshes_the_plan_at_once(self):
        self._plan()
        self._meeting(3, partner=self.customer)
        plan = self.env["crm.visit.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(plan.last_visit_date, self.today - timedelta(days=3))

    def test_due_date_from_done_visit_activity_only(self):
        other = self.env["mail.activity.type"].create({"name": "Call (visit test)"})
        self._done_activity(5, activity_type=other)
        self.assertFalse(self._plan().last_visit_date, "a done call is not a visit")
        self._done_activity(12)
        plan = self._plan()
        self.assertEqual(plan.last_visit_date, self.today - timedelta(days=12))
        self.assertEqual(plan.next_visit_due, self.today + timedelta(days=18))

    def test_overdue_visit_gives_one_activity_to_the_account_owner(self):
        self._meeting(40)
        plan = self._plan()
        self.assertTrue(plan.visit_overdue)
        self.assertEqual(plan.overdue_days, 10)
        self._plan()
        self.env["crm.visit.plan"]._cron_refresh()
        activity = self._visit_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales_user)
        self.assertIn("was last visited on", activity.note)
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.visit_overdue)
        self.assertIn(self.customer, self.env["res.partner"].search([("visit_overdue", "=", True)]))

    def test_activity_again_only_after_a_new_visit_and_a_new_delay(self):
        self._meeting(40)
        self._plan()
        self._visit_activities().action_feedback(feedback="Visited")  # the reminder done is a visit
        plan = self._plan()
        self.assertFalse(plan.visit_overdue)
        self.assertFalse(plan.overdue_notified)
        self.assertFalse(self._visit_activities())
        self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", self.customer.id),
            ("mail_activity_type_id", "=", self.visit_type.id)]).date = datetime.combine(
            self.today - timedelta(days=31), time(9))
        self._plan()
        self.assertEqual(len(self._visit_activities()), 1)

    def test_executive_visit_due_for_strategic_accounts(self):
        self.customer.key_account_tier_id = self.strategic
        self._meeting(3)
        plan = self._plan()
        self.assertTrue(plan.executive_visit_due, "never an executive visit")
        self._meeting(200, executive=True)
        plan = self._plan()
        self.assertEqual(plan.last_executive_visit_date, self.today - timedelta(days=200))
        self.assertTrue(plan.executive_visit_due)
        self._done_activity(100, activity_type=self.executive_type)
        plan = self._plan()
        self.assertFalse(plan.executive_visit_due)
        self.assertEqual(plan.last_visit_date, self.today - timedelta(days=3))
        self.customer.key_account_tier_id = self.key
        self.assertFalse(self._plan().executive_visit_due, "the key tier plans no executive visits")

    def test_executive_visit_planned_once_for_the_account_owner(self):
        executive_activities = lambda: self.customer.activity_ids.filtered(  # noqa: E731
            lambda act: act.activity_type_id == self.executive_type)
        self.assertFalse(self._plan().executive_visit_due)
        self.assertFalse(executive_activities(), "the key tier plans no executive visits")
        self.customer.key_account_tier_id = self.strategic
        self._meeting(200, executive=True)
        self._plan()
        activity = executive_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales_user, "the account owner plans it")
        self.assertIn("last visited on", activity.note)
        self._plan()
        self.assertEqual(len(executive_activities()), 1, "planned once, not on every refresh")
        activity.action_feedback(feedback="Our director visited the plant")
        message = self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", self.customer.id),
            ("mail_activity_type_id", "=", self.executive_type.id)], order="id desc", limit=1)
        message.date = datetime.combine(self.today - timedelta(days=1), time(10))
        plan = self._plan()
        self.assertFalse(plan.executive_visit_due, "the done activity is the executive visit")
        self.assertFalse(plan.executive_notified)
        self.assertFalse(executive_activities())
        message.date = datetime.combine(self.today - timedelta(days=181), time(10))
        self._plan()
        self.assertEqual(len(executive_activities()), 1, "due again: planned again")

    def test_customers_without_a_plan_leave_the_list(self):
        self.assertTrue(self._plan())
        self.key.visit_frequency_days = 0
        self.assertFalse(self._plan())

    def test_other_company_tier_is_not_this_companys_plan(self):
        company_b = self.env["res.company"].create({"name": "Other Seller (visits)"})
        other = self.env["res.partner"].create({"name": "Only B Customer", "is_company": True})
        other.with_company(company_b).key_account_tier_id = self.key
        self.assertFalse(self._plan(other))
        Plan = self.env["crm.visit.plan"]
        Plan._refresh(company_b)
        self.assertEqual(Plan.search([("partner_id", "=", other.id)]).company_id, company_b)

    def test_query_count_does_not_grow_with_customers(self):
        def add_customers(count):
            partners = self.env["res.partner"].create([
                {"name": f"Visit customer {i}", "is_company": True, "user_id": self.sales_user.id}
                for i in range(count)])
            for partner in partners:
                partner.key_account_tier_id = self.key
                self._meeting(2, partner=partner)
        add_customers(2)
        self._plan()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=7):  # the overdue visits and the executive visits due: one search each
            self.env["crm.visit.plan"]._refresh(self.env.company)
        add_customers(6)
        self._plan()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=7):  # the overdue visits and the executive visits due: one search each
            self.env["crm.visit.plan"]._refresh(self.env.company)

    def test_access_and_bad_input(self):
        self._plan()
        self.assertTrue(self.env["crm.visit.plan"].with_user(self.sales_user).search([]))
        with self.assertRaises(AccessError):
            self.env["crm.visit.plan"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["crm.visit.plan"].with_user(self.sales_user).search([], limit=1).write({"visit_overdue": False})
        with self.assertRaises(ValidationError):
            self.strategic.executive_visit_days = -1
        with self.assertRaises(ValidationError):
            self.strategic.executive_visit_days = 1000


@tagged("post_install", "-at_install")
class TestVisitPlanDemo(CrmIndustrialCommon):
    def test_demo_has_done_and_overdue_visits(self):
        Plan = self.env["crm.visit.plan"]
        plant = self.env.ref("crm_industrial.partner_power_plant_demo")
        plan = Plan.search([("partner_id", "=", plant.id)])
        self.assertEqual(plan.last_visit_date, fields.Date.context_today(Plan) - timedelta(days=7))
        self.assertFalse(plan.visit_overdue)
        self.assertFalse(plan.executive_visit_due, "an executive visit 95 days ago")
        overdue = Plan.search([("visit_overdue", "=", True)])
        self.assertTrue(overdue)
        visit = self.env.ref("crm_industrial.mail_activity_type_visit")
        self.assertTrue(overdue.partner_id.activity_ids.filtered(lambda act: act.activity_type_id == visit))
        self.assertEqual(Plan.search([("partner_id", "=", self.env.ref(
            "crm_industrial.partner_paper_mill_demo").id)]).last_visit_date,
            fields.Date.context_today(Plan) - timedelta(days=20), "a done Visit activity")
