from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmIndustrialCommon


class BuyingCenterCommon(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.purchasing = ref("crm_industrial.crm_buying_role_purchasing_manager")
        cls.cfo = ref("crm_industrial.crm_buying_role_financial_approver")
        cls.gm = ref("crm_industrial.crm_buying_role_general_manager")
        cls.technical = ref("crm_industrial.crm_buying_role_technical_evaluator")
        cls.end_user = ref("crm_industrial.crm_buying_role_end_user")
        cls.influencer = ref("crm_industrial.crm_buying_role_influencer")
        cls.key_roles = cls.env["crm.buying.role"].search([("key_role", "=", True)])

    @classmethod
    def _contact(cls, name, roles=(), company=None, **values):
        return cls.env["res.partner"].create({
            "name": name, "parent_id": (company or cls.customer).id,
            "buying_role_ids": [Command.set([role.id for role in roles])], **values})


@tagged("post_install", "-at_install")
class TestBuyingRoles(BuyingCenterCommon):
    def test_shipped_catalogue(self):
        roles = self.env["crm.buying.role"].search([])
        self.assertGreaterEqual(len(roles), 10)
        self.assertEqual(self.key_roles, self.purchasing | self.cfo | self.gm | self.technical | self.end_user)
        self.assertEqual(roles, roles.sorted("sequence"))

    def test_only_sales_managers_configure_roles(self):
        with self.assertRaises(AccessError):
            self.env["crm.buying.role"].with_user(self.sales_user).create({"name": "Consultant"})
        role = self.env["crm.buying.role"].with_user(self.sales_manager).create({"name": "Consultant"})
        self.assertTrue(role.active)

    def test_negative_cold_days_refused(self):
        with self.assertRaisesRegex(ValidationError, "goes cold after 0"):
            self.purchasing.cold_after_days = -1


@tagged("post_install", "-at_install")
class TestCoverage(BuyingCenterCommon):
    def test_company_without_contacts_misses_every_key_role(self):
        self.assertEqual(self.customer.buying_center_coverage, 0.0)
        self.assertEqual(self.customer.missing_key_role_ids, self.key_roles)

    def test_coverage_counts_key_roles_held(self):
        self._contact("Zhang Wei", [self.purchasing, self.influencer])
        self._contact("Liu Yang", [self.cfo, self.gm])
        self.assertAlmostEqual(self.customer.buying_center_coverage, 60.0)
        self.assertEqual(self.customer.missing_key_role_ids, self.technical | self.end_user)
        self.assertEqual(len(self.customer.buying_center_ids), 2)

    def test_archived_contact_no_longer_covers(self):
        contact = self._contact("Zhang Wei", [self.purchasing])
        self.assertAlmostEqual(self.customer.buying_center_coverage, 20.0)
        contact.active = False
        self.assertEqual(self.customer.buying_center_coverage, 0.0)
        self.assertIn(self.purchasing, self.customer.missing_key_role_ids)

    def test_contact_moving_company_moves_coverage(self):
        other = self.env["res.partner"].create({"name": "Anhui Conch Cement", "is_company": True})
        boss = self._contact("Chen Jie", [self.gm])
        contact = self._contact("Zhang Wei", [self.purchasing], reports_to_id=boss.id)
        contact.parent_id = other
        self.assertAlmostEqual(self.customer.buying_center_coverage, 20.0)
        self.assertAlmostEqual(other.buying_center_coverage, 20.0)
        self.assertIn(self.purchasing, self.customer.missing_key_role_ids)
        self.assertFalse(contact.reports_to_id, "a reporting line does not cross companies")

    def test_key_role_changes_recompute_coverage(self):
        self._contact("Zhang Wei", [self.purchasing])
        self.assertAlmostEqual(self.customer.buying_center_coverage, 20.0)
        self.influencer.key_role = True
        self.assertAlmostEqual(self.customer.buying_center_coverage, 100.0 / 6)
        self.env["crm.buying.role"].with_user(self.sales_manager).create(
            {"name": "Safety Officer", "key_role": True})
        self.assertAlmostEqual(self.customer.buying_center_coverage, 100.0 / 7)

    def test_low_coverage_filter(self):
        self._contact("Zhang Wei", [self.purchasing, self.cfo, self.gm, self.technical])
        weak = self.env["res.partner"].create({"name": "Weak Coverage Ltd", "is_company": True})
        found = self.env["res.partner"].search([("buying_center_weak", "=", True)])
        self.assertIn(weak, found)
        self.assertNotIn(self.customer, found)
        self.env["ir.config_parameter"].set_param("crm_industrial.coverage_threshold", 90)
        self.assertIn(self.customer, self.env["res.partner"].search([("buying_center_weak", "=", True)]))


@tagged("post_install", "-at_install")
class TestReportingLines(BuyingCenterCommon):
    def test_reports_to_same_company_only(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        outsider = self._contact("Outsider", company=other)
        contact = self._contact("Zhang Wei")
        with self.assertRaisesRegex(ValidationError, "same company"):
            contact.reports_to_id = outsider

    def test_reporting_cycle_refused(self):
        boss = self._contact("Chen Jie")
        contact = self._contact("Zhang Wei", reports_to_id=boss.id)
        with self.assertRaisesRegex(ValidationError, "loop"):
            boss.reports_to_id = contact

    def test_organisation_chart(self):
        boss = self._contact("Chen Jie", [self.gm])
        self._contact("Zhang Wei", [self.purchasing], reports_to_id=boss.id)
        action = self.customer.action_open_organisation_chart()
        self.assertEqual(action["views"][0][1], "hierarchy")
        nodes = self.env["res.partner"].hierarchy_read(action["domain"], ["name"], "reports_to_id", "report_ids")
        self.assertEqual({node["name"] for node in nodes}, {"Chen Jie", "Zhang Wei", "Wang Lei"})


@tagged("post_install", "-at_install")
class TestLastContact(BuyingCenterCommon):
    def setUp(self):
        super().setUp()
        self.contact = self._contact("Zhang Wei", [self.purchasing])

    def test_never_contacted(self):
        self.assertFalse(self.contact.last_contact_date)

    def test_note_logged_on_contact(self):
        with freeze_time("2026-03-10 09:00:00"):
            self.contact.message_post(body="Called about the winter contract", message_type="comment")
        self.assertEqual(self.contact.last_contact_date, date(2026, 3, 10))

    def test_tracking_notification_does_not_count(self):
        self.contact.with_context(tracking_disable=False).attitude = "champion"
        self.assertFalse(self.contact.last_contact_date)

    def test_email_from_contact_on_another_document(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        with freeze_time("2026-04-02 10:00:00"):
            order.message_post(body="Please confirm the delivery date", author_id=self.contact.id,
                               message_type="email")
        self.assertEqual(self.contact.last_contact_date, date(2026, 4, 2))

    def test_done_activity(self):
        activity = self.contact.activity_schedule("mail.mail_activity_data_call", user_id=self.sales_user.id)
        with freeze_time("2026-05-05 15:00:00"):
            activity.action_feedback(feedback="Agreed on Q3 volumes")
        self.assertEqual(self.contact.last_contact_date, date(2026, 5, 5))

    def test_past_meeting_counts_future_does_not(self):
        Event = self.env["calendar.event"]
        Event.create({"name": "Plant visit", "start": datetime(2026, 6, 1, 8), "stop": datetime(2026, 6, 1, 10),
                      "partner_ids": [Command.link(self.contact.id)]})
        Event.create({"name": "Next visit", "start": datetime(2099, 1, 1, 8), "stop": datetime(2099, 1, 1, 10),
                      "partner_ids": [Command.link(self.contact.id)]})
        self.assertEqual(self.contact.last_contact_date, date(2026, 6, 1))

    def test_going_cold_after_role_delay(self):
        self.purchasing.cold_after_days = 30
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s",
                            (datetime.now() - timedelta(days=45), self.contact.id))
        self.contact.invalidate_recordset(["create_date"])
        cold = self.env["res.partner"].search([("is_going_cold", "=", True)])
        self.assertIn(self.contact, cold)
        self.contact.message_post(body="Lunch with Zhang", message_type="comment")
        self.assertNotIn(self.contact, self.env["res.partner"].search([("is_going_cold", "=", True)]))
        self.assertIn(self.contact, self.env["res.partner"].search([("is_going_cold", "=", False)]))

    def test_going_cold_warning_at_the_top_of_the_customer_form(self):
        self.purchasing.cold_after_days = 30
        self.assertFalse(self.customer.going_cold_contact_ids, "nothing to say: no warning")
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s",
                            (datetime.now() - timedelta(days=45), self.contact.id))
        self.contact.invalidate_recordset(["create_date"])
        self.customer.invalidate_recordset(["going_cold_contact_ids"])
        customer = self.customer.with_user(self.sales_user)
        self.assertEqual(customer.going_cold_contact_ids, self.contact)
        self.assertEqual(customer.going_cold_summary, "Zhang Wei (never reached)")
        self.assertFalse(self.contact.going_cold_contact_ids, "the warning is the company's")
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        warnings = arch[arch.index('name="crm_industrial_warnings"'):arch.index('name="button_box"')]
        self.assertIn('name="going_cold_summary"', warnings)
        self.assertIn('invisible="not going_cold_contact_ids"', warnings)
        with freeze_time(datetime.now() - timedelta(days=40)):
            self.contact.message_post(body="Lunch with Zhang", message_type="comment")
        self.customer.invalidate_recordset(["going_cold_contact_ids", "going_cold_summary"])
        self.assertEqual(self.customer.going_cold_summary, "Zhang Wei (40 days)")
        self.contact.message_post(body="Call with Zhang", message_type="comment")
        self.customer.invalidate_recordset(["going_cold_contact_ids", "going_cold_summary"])
        self.assertFalse(self.customer.going_cold_contact_ids)
        self.assertFalse(self.customer.going_cold_summary)


@tagged("post_install", "-at_install")
class TestSingleThreaded(BuyingCenterCommon):
    def test_one_person_holding_every_role(self):
        self._contact("Zhang Wei", [self.purchasing, self.cfo, self.gm])
        self.assertTrue(self.customer.single_threaded)
        self.assertIn(self.customer, self.env["res.partner"].search([("single_threaded", "=", True)]))

    def test_all_recent_contact_through_one_person(self):
        buyer = self._contact("Zhang Wei", [self.purchasing])
        self._contact("Liu Yang", [self.cfo])
        self.assertFalse(self.customer.single_threaded, "nobody contacted recently: not single-threaded")
        buyer.message_post(body="Weekly call", message_type="comment")
        self.customer.invalidate_recordset(["single_threaded"])
        self.assertTrue(self.customer.single_threaded)

    def test_several_people_contacted(self):
        buyer = self._contact("Zhang Wei", [self.purchasing])
        cfo = self._contact("Liu Yang", [self.cfo])
        buyer.message_post(body="Weekly call", message_type="comment")
        cfo.message_post(body="Payment terms", message_type="comment")
        self.assertFalse(self.customer.single_threaded)
        self.assertNotIn(self.customer, self.env["res.partner"].search([("single_threaded", "=", True)]))


@tagged("post_install", "-at_install")
class TestBirthdayReminders(BuyingCenterCommon):
    def setUp(self):
        super().setUp()
        self.customer.account_owner_id = self.sales_manager
        self.sales_manager.groups_id += self.env.ref("crm_industrial.group_buying_center_personal")
        self.activity_type = self.env.ref("crm_industrial.mail_activity_type_birthday")

    def _reminders(self, contact):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", contact.id),
            ("activity_type_id", "=", self.activity_type.id)])

    def _run_cron(self, today):
        with freeze_time(today):
            self.env["res.partner"]._cron_schedule_birthday_reminders()

    def test_one_reminder_for_the_account_owner(self):
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1975-07-20")
        self._run_cron("2026-07-10")
        self.assertFalse(self._reminders(contact), "too early")
        self._run_cron("2026-07-14")
        reminder = self._reminders(contact)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.sales_manager)
        self.assertEqual(reminder.date_deadline, date(2026, 7, 20))
        self._run_cron("2026-07-15")
        reminder.unlink()
        self._run_cron("2026-07-16")
        self.assertFalse(self._reminders(contact), "never twice for the same birthday")
        self._run_cron("2027-07-15")
        self.assertEqual(self._reminders(contact).date_deadline, date(2027, 7, 20), "next year again")

    def test_across_year_end(self):
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1980-01-02")
        self._run_cron("2026-12-28")
        self.assertEqual(self._reminders(contact).date_deadline, date(2027, 1, 2))

    def test_leap_day_birthday(self):
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1988-02-29")
        self._run_cron("2027-02-23")
        self.assertEqual(self._reminders(contact).date_deadline, date(2027, 2, 28))
        self._run_cron("2028-02-25")
        self.assertEqual(self._reminders(contact).sorted("date_deadline")[-1].date_deadline, date(2028, 2, 29))

    def test_only_key_contacts(self):
        contact = self._contact("Wu Fang", [self.influencer], birthdate_date="1990-07-20")
        self._run_cron("2026-07-15")
        self.assertFalse(self._reminders(contact))

    def test_configurable_delay(self):
        self.env["ir.config_parameter"].set_param("crm_industrial.birthday_reminder_days", 30)
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1975-07-20")
        self._run_cron("2026-06-25")
        self.assertEqual(len(self._reminders(contact)), 1)


    def test_owner_outside_the_personal_data_group_is_not_told_the_birthday(self):
        self.customer.account_owner_id = self.sales_user
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1975-07-20")
        self._run_cron("2026-07-14")
        self.assertFalse(self._reminders(contact))

    def test_reminder_hidden_from_other_internal_users(self):
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1975-07-20")
        self._run_cron("2026-07-14")
        reminder = self._reminders(contact)
        self.assertEqual(len(reminder), 1)
        Activity = self.env["mail.activity"]
        self.assertEqual(Activity.with_user(self.sales_manager).search([("id", "=", reminder.id)]), reminder)
        self.assertFalse(Activity.with_user(self.sales_user).search([("id", "=", reminder.id)]),
                         "another salesperson who can see the contact does not see its birthday")
        contact.invalidate_recordset(["activity_ids"])
        self.assertFalse(contact.with_user(self.sales_user).activity_ids, "nor in the contact's chatter")
        with self.assertRaises(AccessError):
            reminder.with_user(self.sales_user).read(["date_deadline"])
        self.sales_user.groups_id += self.env.ref("crm_industrial.group_buying_center_personal")
        self.assertEqual(Activity.with_user(self.sales_user).search([("id", "=", reminder.id)]), reminder)


@tagged("post_install", "-at_install")
class TestOpportunity(BuyingCenterCommon):
    def test_warning_lists_key_roles_not_involved(self):
        buyer = self._contact("Zhang Wei", [self.purchasing])
        cfo = self._contact("Liu Yang", [self.cfo], attitude="opponent")
        lead = self.env["crm.lead"].create({
            "name": "Winter coal contract", "type": "opportunity", "partner_id": self.customer.id,
            "user_id": self.sales_user.id})
        self.assertEqual(lead.missing_key_role_ids, self.key_roles)
        with Form(lead.with_user(self.sales_user)) as form:
            form.buying_center_contact_ids.add(buyer)
            form.buying_center_contact_ids.add(cfo)
        self.assertEqual(lead.missing_key_role_ids, self.gm | self.technical | self.end_user)
        stances = {contact.name: contact.attitude for contact in lead.buying_center_contact_ids}
        self.assertEqual(stances, {"Zhang Wei": False, "Liu Yang": "opponent"})

    def test_no_warning_without_customer(self):
        lead = self.env["crm.lead"].create({"name": "Unknown prospect", "type": "opportunity"})
        self.assertFalse(lead.missing_key_role_ids)


@tagged("post_install", "-at_install")
class TestBuyingCenterAccess(BuyingCenterCommon):
    PERSONAL_FIELDS = ("birthdate_date", "hobbies", "personality_notes")

    def test_personal_data_only_for_the_dedicated_group(self):
        contact = self._contact("Zhang Wei", [self.purchasing], birthdate_date="1975-07-20", hobbies="Go, fishing")
        as_sales = contact.with_user(self.sales_user)
        self.assertEqual(as_sales.attitude, False)
        self.assertFalse(set(self.PERSONAL_FIELDS) & set(as_sales.fields_get()))
        with self.assertRaises(AccessError):
            as_sales.read(["birthdate_date"])
        with self.assertRaises(AccessError):
            as_sales.write({"hobbies": "golf"})
        confidant = new_test_user(self.env, login="crmi_confidant", groups=(
            "sales_team.group_sale_salesman,crm_industrial.group_buying_center_personal"))
        self.assertEqual(contact.with_user(confidant).hobbies, "Go, fishing")
        contact.with_user(confidant).hobbies = "Golf"
        self.assertEqual(contact.hobbies, "Golf")

    def test_portal_reads_no_buying_center_field(self):
        seen = self.env["res.partner"].with_user(self.portal_user).fields_get()
        for name in ("buying_role_ids", "attitude", "decision_power", "approval_limit", "reports_to_id",
                     "last_contact_date", "buying_center_coverage", *self.PERSONAL_FIELDS):
            self.assertNotIn(name, seen)
        with self.assertRaises(AccessError):
            self.env["crm.buying.role"].with_user(self.portal_user).search([])

    def test_roles_of_another_company_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Sister Co"})
        role = self.env["crm.buying.role"].create({"name": "Sister role", "company_id": other_company.id})
        roles = self.env["crm.buying.role"].with_user(self.sales_user).search([])
        self.assertNotIn(role, roles)


@tagged("post_install", "-at_install")
class TestBuyingCenterQueries(BuyingCenterCommon):
    def _company_with_contacts(self, count):
        company = self.env["res.partner"].create({"name": f"Company {count}", "is_company": True})
        self.env["res.partner"].create([{
            "name": f"Person {index}", "parent_id": company.id, "attitude": "neutral",
            "buying_role_ids": [Command.set([self.purchasing.id, self.influencer.id])],
        } for index in range(count)])
        return company

    def _queries_to_open(self, company):
        spec = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]
        fields_spec = {name: {} for name in ("name", "buying_center_coverage", "single_threaded",
                                             "last_contact_date", "is_going_cold", "going_cold_summary")}
        fields_spec["going_cold_contact_ids"] = {"fields": {"display_name": {}}}
        fields_spec["missing_key_role_ids"] = {"fields": {"display_name": {}}}
        fields_spec["buying_center_ids"] = {"fields": {name: {} for name in (
            "name", "function", "decision_power", "attitude", "relationship_strength",
            "last_contact_date", "phone", "email")} | {"buying_role_ids": {"fields": {"display_name": {}}}}}
        self.assertTrue(spec["arch"])
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        company.web_read(fields_spec)
        return self.env.cr.sql_log_count - before

    def test_form_queries_do_not_grow_with_contacts(self):
        small = self._company_with_contacts(5)
        large = self._company_with_contacts(50)
        self._queries_to_open(small)  # warm the caches (settings, access rights)
        small_count = self._queries_to_open(small)
        self.assertEqual(self._queries_to_open(large), small_count)
        # the warnings at the top of the form (going cold, single-threaded, last contact) share
        # one read of the interactions and one of the roles' limits
        self.assertLessEqual(small_count, 14)


@tagged("post_install", "-at_install")
class TestBuyingCenterDemo(BuyingCenterCommon):
    """The demo story's buying centers (the test database is installed with demo data)."""

    def test_demo_buying_centers(self):
        ref = self.env.ref
        plant = ref("crm_industrial.partner_power_plant_demo")
        self.assertEqual(plant.buying_center_coverage, 100.0)
        self.assertIn("opponent", plant.buying_center_ids.mapped("attitude"))
        steel = ref("crm_industrial.partner_steel_cement_demo")
        self.assertEqual(steel.missing_key_role_ids, self.gm | self.technical | self.end_user)
        self.assertTrue(ref("crm_industrial.partner_coal_trader_demo").single_threaded)
        self.assertFalse(plant.single_threaded)
        lead = ref("crm_industrial.lead_steel_cement_coking_coal_demo")
        self.assertEqual(lead.missing_key_role_ids, self.gm | self.technical | self.end_user)
        birthday = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"),
            ("res_id", "=", ref("crm_industrial.contact_power_plant_zhang_demo").id),
            ("activity_type_id", "=", ref("crm_industrial.mail_activity_type_birthday").id)])
        self.assertEqual(len(birthday), 1)

    def test_searches_agree_with_the_flags(self):
        """The filters search in SQL what the form computes per record: same answers."""
        Partner = self.env["res.partner"]
        companies = Partner.search([("is_company", "=", True)])
        self.assertEqual(set(Partner.search([("single_threaded", "=", True)]).ids),
                         set(companies.filtered("single_threaded").ids))
        self.assertTrue(companies.filtered("single_threaded"), "the demo has single-threaded customers")
        people = Partner.search([("buying_role_ids", "!=", False)])
        self.assertEqual(set(Partner.search([("is_going_cold", "=", True)]).ids),
                         set(people.filtered("is_going_cold").ids))
        self.assertTrue(people.filtered("is_going_cold"), "the demo has contacts going cold")

    def test_demo_last_contacts_and_going_cold(self):
        ref = self.env.ref
        today = fields.Date.today()  # interactions are stored in UTC, like Last Contact
        zhang = ref("crm_industrial.contact_power_plant_zhang_demo")
        self.assertEqual(zhang.last_contact_date, today - timedelta(days=3), "emailed three days ago")
        self.assertEqual(ref("crm_industrial.contact_power_plant_wang_demo").last_contact_date,
                         today - timedelta(days=12), "met twelve days ago")
        self.assertEqual(ref("crm_industrial.contact_haiyang_chemical_zhou_demo").last_contact_date,
                         today - timedelta(days=15), "a call done fifteen days ago")
        cold = self.env["res.partner"].search([("is_going_cold", "=", True)])
        self.assertIn(ref("crm_industrial.contact_power_plant_sun_demo"), cold)
        self.assertIn(ref("crm_industrial.contact_steel_cement_sun_demo"), cold)
        self.assertNotIn(zhang, cold)
