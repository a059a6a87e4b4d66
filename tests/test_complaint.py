from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ComplaintCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.stage_new = ref("crm_industrial.crm_complaint_stage_new")
        cls.stage_investigating = ref("crm_industrial.crm_complaint_stage_investigating")
        cls.stage_closed = ref("crm_industrial.crm_complaint_stage_closed")
        cls.stage_adopted = ref("crm_industrial.crm_complaint_stage_adopted")
        cls.strategic = ref("crm_industrial.crm_key_account_tier_strategic")
        cls.team = ref("crm_industrial.crm_team_complaints")
        company = cls.env.company
        # Working time: Monday to Friday, 8-12 and 13-17 UTC, one public holiday.
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Plant office hours", "tz": "UTC", "company_id": company.id,
            "attendance_ids": [Command.clear()] + [
                Command.create({"name": f"{day} {start}", "dayofweek": str(day), "hour_from": start,
                                "hour_to": start + 4, "day_period": "morning" if start < 12 else "afternoon"})
                for day in range(5) for start in (8, 13)]})
        cls.env["resource.calendar.leaves"].create({
            "name": "Public holiday", "calendar_id": cls.calendar.id, "resource_id": False,
            "date_from": datetime(2026, 12, 1, 0, 0), "date_to": datetime(2026, 12, 1, 23, 59)})
        company.resource_calendar_id = cls.calendar
        users = {"company_id": company.id, "company_ids": [company.id]}
        cls.salesman = new_test_user(cls.env, login="crmi_c_sales", groups="sales_team.group_sale_salesman", **users)
        cls.other_salesman = new_test_user(cls.env, login="crmi_c_sales2", groups="sales_team.group_sale_salesman",
                                           **users)
        cls.quality = new_test_user(cls.env, login="crmi_c_quality", groups="crm_industrial.group_complaint_user",
                                    **users)
        cls.accountant = new_test_user(cls.env, login="crmi_c_accountant", groups="account.group_account_user",
                                       **users)
        cls.portal = new_test_user(cls.env, login="crmi_c_portal", groups="base.group_portal", **users)
        cls.team.user_id = cls.env["res.users"].create({"name": "Team Lead", "login": "crmi_c_lead", **users})
        cls.customer = cls.env["res.partner"].create({
            "name": "Shandong Power", "is_company": True, "user_id": cls.salesman.id,
            "email": "quality@shandong-power.example.com"})
        cls.contact = cls.env["res.partner"].create({
            "name": "Li Ming", "parent_id": cls.customer.id, "email": "li.ming@shandong-power.example.com"})

    def _complaint(self, **values):
        return self.env["crm.complaint"].create({
            "subject": "Ash above contract", "partner_id": self.customer.id, "contact_id": self.contact.id,
            "severity": "critical", **values})


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCommon):
    def test_reference_from_sequence(self):
        first, second = self._complaint(), self._complaint()
        year = fields.Date.today().year
        self.assertTrue(first.name.startswith(f"CMP/{year}/"))
        self.assertEqual(int(second.name.split("/")[-1]), int(first.name.split("/")[-1]) + 1)

    def test_deadlines_skip_weekend_by_tier_and_severity(self):
        self.customer.sudo().key_account_tier_id = self.strategic  # critical: 2 h answer, 24 h resolution
        complaint = self._complaint(date_received=datetime(2026, 11, 20, 16, 0))  # Friday 16:00
        self.assertEqual(complaint.tier_id, self.strategic)
        self.assertEqual(complaint.response_deadline, datetime(2026, 11, 23, 9, 0))  # Monday 9:00
        self.assertEqual(complaint.resolution_deadline, datetime(2026, 11, 25, 16, 0))  # 1 + 8 + 8 + 7 h
        complaint.severity = "low"  # strategic, low: 16 h answer
        self.assertEqual(complaint.response_deadline, datetime(2026, 11, 24, 16, 0))

    def test_deadlines_skip_holidays(self):
        complaint = self._complaint(severity="critical", date_received=datetime(2026, 11, 30, 16, 0))
        # No tier: the fallback critical answer time is 8 working hours; 1 December is a holiday.
        self.assertFalse(complaint.tier_id)
        self.assertEqual(complaint.response_deadline, datetime(2026, 12, 2, 16, 0))

    def test_sla_status_and_search(self):
        complaint = self._complaint(date_received=datetime(2026, 11, 23, 8, 0))
        deadline = complaint.response_deadline
        with freeze_time(datetime(2026, 11, 23, 8, 30)):
            self.assertEqual(complaint.sla_status, "on_track")
            complaint.invalidate_recordset(["sla_status"])
        before = deadline.replace(minute=0) if deadline.minute else deadline.replace(hour=deadline.hour - 1, minute=30)
        with freeze_time(before):
            complaint.invalidate_recordset(["sla_status"])
            self.assertEqual(complaint.sla_status, "at_risk")
        with freeze_time(datetime(2027, 1, 1)):
            complaint.invalidate_recordset(["sla_status"])
            self.assertEqual(complaint.sla_status, "breached")
            self.assertIn(complaint, self.env["crm.complaint"].search([("sla_status", "=", "breached")]))

    def test_sla_status_names_the_deadline_it_refers_to(self):
        """An unanswered case past its response deadline is "Response Breached" next to that deadline,
        not "Breached" next to a resolution deadline still ahead (the list shows sla_deadline)."""
        complaint = self._complaint(date_received=datetime(2026, 11, 23, 8, 0))
        fields_ = ["sla_status", "sla_summary", "sla_deadline"]
        between = complaint.response_deadline + (complaint.resolution_deadline - complaint.response_deadline) / 2
        with freeze_time(between):
            complaint.invalidate_recordset(fields_)
            self.assertEqual(complaint.sla_status, "breached")
            self.assertEqual(complaint.sla_summary, "response_breached")
            self.assertEqual(complaint.sla_deadline, complaint.response_deadline)
            self.assertGreater(complaint.resolution_deadline, between, "the resolution deadline is still ahead")
            label = dict(complaint._fields["sla_summary"]._description_selection(self.env))["response_breached"]
            self.assertEqual(label, "Response Breached")
            complaint.action_mark_responded()
            complaint.invalidate_recordset(fields_)
            self.assertEqual(complaint.sla_deadline, complaint.resolution_deadline, "now racing the resolution")
            self.assertTrue(complaint.sla_summary.startswith("resolution_"))
            self.assertNotEqual(complaint.sla_status, "breached")
        with freeze_time(complaint.resolution_deadline + (complaint.resolution_deadline - between)):
            complaint.invalidate_recordset(fields_)
            self.assertEqual((complaint.sla_summary, complaint.sla_status), ("resolution_breached", "breached"))
        for view_type in ("list", "kanban", "form"):
            arch = etree.fromstring(self.env["crm.complaint"].get_view(view_type=view_type)["arch"])
            badges = arch.xpath("//field[@widget='badge'][starts-with(@name, 'sla_')]")
            self.assertEqual([badge.get("name") for badge in badges], ["sla_summary"], view_type)
        arch = etree.fromstring(self.env["crm.complaint"].get_view(view_type="list")["arch"])
        shown = [field.get("name") for field in arch.xpath("//field[contains(@name, 'deadline')]")
                 if field.get("optional") != "hide"]
        self.assertEqual(shown, ["sla_deadline"], "the list shows the deadline the status refers to")

    def test_first_response_from_a_public_answer(self):
        complaint = self._complaint()
        complaint.message_post(body="Internal note", subtype_xmlid="mail.mt_note", message_type="comment")
        self.assertFalse(complaint.date_first_response)
        complaint.message_post(body="We are sending our lab engineer tomorrow.", subtype_xmlid="mail.mt_comment",
                               message_type="comment")
        self.assertTrue(complaint.date_first_response)
        self.assertEqual(complaint.sla_status in ("on_track", "at_risk", "breached"), True)


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(ComplaintCommon):
    def test_routing_to_dedicated_representative_or_team(self):
        self.assertEqual(self._complaint().team_id, self.team)
        self.customer.complaint_representative_id = self.quality
        complaint = self._complaint()
        self.assertEqual(complaint.user_id, self.quality)
        self.assertIn(self.quality.partner_id, complaint.message_partner_ids)

    def test_closing_needs_root_cause_and_resolution(self):
        complaint = self._complaint()
        complaint.stage_id = self.stage_investigating
        with self.assertRaisesRegex(ValidationError, "root cause and resolution"):
            with self.env.cr.savepoint():
                complaint.stage_id = self.stage_closed
        complaint.invalidate_recordset()
        self.assertEqual(complaint.stage_id, self.stage_investigating, "nothing half-written")
        self.assertFalse(complaint.date_closed)
        complaint.write({"root_cause_category": "material", "resolution": "Lot blended down to spec.",
                         "stage_id": self.stage_closed.id})
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed and complaint.date_resolved)

    def test_suggestions_end_adopted_or_declined(self):
        suggestion = self._complaint(kind="suggestion", severity="low", subject="Deliver by rail")
        with self.assertRaisesRegex(ValidationError, "adopted or declined"):
            with self.env.cr.savepoint():
                suggestion.stage_id = self.stage_closed
        suggestion.stage_id = self.stage_adopted
        self.assertTrue(suggestion.is_closed)
        complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "not as an adopted"):
            with self.env.cr.savepoint():
                complaint.write({"root_cause_category": "material", "resolution": "x",
                                 "stage_id": self.stage_adopted.id})

    def test_escalation_once_to_the_team_manager(self):
        complaint = self._complaint(date_received=datetime(2026, 11, 2, 8, 0), user_id=self.quality.id)
        breach_type = self.env.ref("crm_industrial.mail_activity_type_complaint_breach")
        with freeze_time(datetime(2026, 11, 10, 9, 0)):
            self.env["crm.complaint"]._cron_escalate()
            self.env["crm.complaint"]._cron_escalate()
        activities = complaint.activity_ids.filtered(lambda activity: activity.activity_type_id == breach_type)
        self.assertEqual(complaint.team_id.user_id.login, "crmi_c_lead")
        self.assertEqual(activities.user_id, self.quality | self.team.user_id)
        self.assertEqual(len(activities), 2, "once only")
        self.assertTrue(complaint.escalated)

    def test_resolution_deadline_escalated_after_the_response_one(self):
        complaint = self._complaint(date_received=datetime(2026, 11, 2, 8, 0), user_id=self.quality.id)
        breach_type = self.env.ref("crm_industrial.mail_activity_type_complaint_breach")
        with freeze_time(datetime(2026, 11, 3, 9, 0)):
            self.env["crm.complaint"]._cron_escalate()  # the first response is late
            complaint.action_mark_responded()
            self.assertFalse(complaint.escalated)
        with freeze_time(datetime(2026, 11, 30, 9, 0)):
            self.env["crm.complaint"]._cron_escalate()  # and so is the resolution
        breaches = complaint.activity_ids.filtered(lambda activity: activity.activity_type_id == breach_type)
        self.assertEqual(len(breaches), 4, "two deadlines, each escalated once to two people")

    def test_breach_scan_queries_do_not_grow(self):
        def scan_queries():
            with freeze_time(datetime(2026, 11, 10, 9, 0)):
                self.env["crm.complaint"]._cron_escalate()  # notifies what is new
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                self.env["crm.complaint"]._cron_escalate()  # the scan alone
                return self.env.cr.sql_log_count - before
        self.env["crm.complaint"].create([{"subject": f"Case {n}", "partner_id": self.customer.id,
                                           "date_received": datetime(2026, 11, 9, 8, 0)} for n in range(3)])
        few = scan_queries()
        self.env["crm.complaint"].create([{"subject": f"Case {n}", "partner_id": self.customer.id,
                                           "date_received": datetime(2026, 11, 9, 8, 0)} for n in range(30)])
        self.assertEqual(scan_queries(), few)

    def test_durations_and_compliance(self):
        complaint = self._complaint(date_received=datetime(2026, 11, 23, 8, 0))
        # Users do not type these dates: the workflow stamps them when it happens.
        with freeze_time(datetime(2026, 11, 23, 9, 0)):
            complaint.action_mark_responded()
        with freeze_time(datetime(2026, 11, 24, 8, 0)):
            complaint.write({"root_cause_category": "material", "resolution": "Re-blended.",
                             "stage_id": self.stage_closed.id})
        self.assertEqual((complaint.response_hours, complaint.resolution_hours), (1.0, 24.0))
        self.assertTrue(complaint.sla_met)
        groups = self.env["crm.complaint"]._read_group([("id", "=", complaint.id)], [], ["sla_compliance:avg"])
        self.assertEqual(groups[0][0], 100.0)

    def test_printable_report(self):
        complaint = self._complaint(root_cause_category="material", resolution="Lot re-blended to spec.")
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "crm_industrial.report_crm_complaint", complaint.ids)
        html = html.decode()
        for text in (complaint.name, "Ash above contract", "Shandong Power", "Lot re-blended to spec."):
            self.assertIn(text, html)

    def test_rating_request_and_storage(self):
        complaint = self._complaint()
        complaint.write({"root_cause_category": "logistics", "resolution": "Truck replaced.",
                         "stage_id": self.stage_closed.id})
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact)
        complaint.rating_apply(5, token=rating.access_token, feedback="Fast and fair")
        self.assertEqual(complaint.rating_last_value, 5)

    def test_created_closed_still_asks_for_a_rating(self):
        complaint = self._complaint(stage_id=self.stage_closed.id, root_cause_category="logistics",
                                    resolution="Re-delivered.")
        self.assertEqual(len(complaint.rating_ids), 1)

    def test_email_alias_creates_a_complaint(self):
        alias = self.env.ref("crm_industrial.mail_alias_complaints")
        self.assertEqual(alias.alias_model_id.model, "crm.complaint")
        raw = (
            "From: Li Ming <li.ming@shandong-power.example.com>\r\n"
            "To: complaints@example.com\r\n"
            "Subject: Wet coal in wagon 12\r\n"
            "Message-ID: <crmi-test-1@example.com>\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "Moisture 19% measured at unloading.\r\n")
        complaint_id = self.env["mail.thread"].message_process("crm.complaint", raw)
        complaint = self.env["crm.complaint"].browse(complaint_id)
        self.assertEqual(complaint.subject, "Wet coal in wagon 12")
        self.assertEqual((complaint.partner_id, complaint.contact_id, complaint.channel),
                         (self.customer, self.contact, "email"))

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._complaint(quantity_affected=-3)

    def test_open_complaint_count_and_sale_order_banner(self):
        self._complaint(severity="high")
        self._complaint(severity="low")
        self.assertEqual(self.customer.complaint_count, 2)
        order = self.env["sale.order"].create({"partner_id": self.contact.id})
        self.assertIn("high", order.complaint_warning)
        self.assertIn("CMP/", order.complaint_warning)
        quiet = self.env["res.partner"].create({"name": "Quiet Customer", "is_company": True})
        self.assertFalse(self.env["sale.order"].create({"partner_id": quiet.id}).complaint_warning)


@tagged("post_install", "-at_install")
class TestComplaintRemedies(ComplaintCommon):
    def _posted_invoice(self):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.product_a.id, "quantity": 1,
                                                 "price_unit": 1000.0,
                                                 "tax_ids": [Command.set(self.tax_sale_a.ids)]})]})
        invoice.action_post()
        return invoice

    def _compensate(self, complaint, amount, user=None):
        wizard = self.env["crm.complaint.compensation.wizard"].with_user(user or self.env.user).create(
            {"complaint_id": complaint.id, "amount": amount})
        action = wizard.action_create_credit_note()
        return self.env["account.move"].browse(action["res_id"])

    def test_replacement_quotation(self):
        complaint = self._complaint(product_ids=[Command.set(self.product_a.ids)], quantity_affected=30)
        action = complaint.action_create_replacement()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual((order.partner_id, order.complaint_id, order.state), (self.customer, complaint, "draft"))
        self.assertEqual(order.order_line.product_id, self.product_a)
        self.assertEqual(order.order_line.product_uom_qty, 30)
        self.assertEqual(order.amount_total, 0.0)
        self.assertEqual(complaint.replacement_count, 1)

    def test_replacement_needs_products(self):
        with self.assertRaisesRegex(UserError, "affected products"):
            self._complaint().action_create_replacement()

    def test_compensation_reverses_the_linked_invoice(self):
        invoice = self._posted_invoice()
        complaint = self._complaint(invoice_id=invoice.id)
        credit_note = self._compensate(complaint, 300)
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "draft"))
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertEqual(credit_note.complaint_id, complaint)
        self.assertAlmostEqual(credit_note.amount_untaxed, 300)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, self.tax_sale_a)
        self.assertAlmostEqual(credit_note.amount_tax, 300 * self.tax_sale_a.amount / 100)
        self.assertEqual(complaint.credit_note_count, 1)

    def test_compensation_without_invoice_is_a_new_credit_note(self):
        complaint = self._complaint()
        credit_note = self._compensate(complaint, 450)
        self.assertFalse(credit_note.reversed_entry_id)
        self.assertAlmostEqual(credit_note.amount_untaxed, 450)
        self.assertEqual(credit_note.complaint_id, complaint)

    def test_bad_compensations_change_nothing(self):
        complaint = self._complaint(invoice_id=self._posted_invoice().id)
        with self.assertRaisesRegex(UserError, "positive"):
            self._compensate(complaint, -50)
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            self._compensate(complaint, 5000)
        with self.assertRaises(AccessError):
            self._compensate(complaint, 100, user=self.salesman)
        self.assertFalse(complaint.credit_note_ids)

    def test_credit_note_for_another_companys_customer_refused(self):
        other = self.setup_other_company()["company"]
        complaint = self.env["crm.complaint"].with_company(other).sudo().create({
            "subject": "Other company case", "partner_id": self.customer.id, "company_id": other.id})
        with self.assertRaises(AccessError):
            self._compensate(complaint.sudo(False).with_user(self.accountant), 100, user=self.accountant)

    def test_accountant_creates_and_posts_credit_note(self):
        complaint = self._complaint(invoice_id=self._posted_invoice().id)
        credit_note = self._compensate(complaint, 200, user=self.accountant)
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(credit_note.state, "posted")


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCommon):
    def test_salesman_creates_and_reads_own_customers_complaints(self):
        complaint = self.env["crm.complaint"].with_user(self.salesman).create(
            {"subject": "Late truck", "partner_id": self.customer.id, "category_id": self.env.ref(
                "crm_industrial.crm_complaint_category_delivery").id})
        self.assertTrue(complaint.name.startswith("CMP/"))
        with self.assertRaises(AccessError):
            complaint.with_user(self.other_salesman).read(["subject"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.salesman).unlink()

    def test_quality_staff_manage_all(self):
        complaint = self._complaint()
        as_quality = complaint.with_user(self.quality)
        as_quality.write({"stage_id": self.stage_investigating.id, "root_cause_analysis": "Lab check"})
        self.assertEqual(complaint.stage_id, self.stage_investigating)
        with self.assertRaises(AccessError):
            self.env["crm.complaint.stage"].with_user(self.quality).create({"name": "Waiting"})

    def test_portal_sees_nothing(self):
        self._complaint()
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(self.portal).search([])
        self.assertNotIn("complaint_count", self.env["res.partner"].with_user(self.portal).fields_get())

    def test_form_opens_for_each_kind_of_user(self):
        for user in (self.salesman, self.quality):
            with Form(self.env["crm.complaint"].with_user(user)) as form:
                form.subject = "Form check"
                form.partner_id = self.customer
                self.assertEqual(form.kind, "complaint")
        complaint = self._complaint()
        self.assertEqual(complaint.with_user(self.accountant).subject, "Ash above contract")
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(self.accountant).create(
                {"subject": "Accountants read, they do not file", "partner_id": self.customer.id})
