"""Complaints: one source of truth for closed, workflow-only dates, triage of mail, bounded numbers."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_complaint import ComplaintCommon

# Context keys a caller might try: none of them may grant a workflow write.
FORGED_CONTEXT = {"crm_complaint_workflow": True, "crm_complaint_workflow_write": True, "workflow": True,
                  "install_mode": True, "tracking_disable": True, "mail_create_nolog": True}


def _mail(sender, subject, message_id):
    return (
        f"From: {sender}\r\n"
        "To: complaints@example.com\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <{message_id}@example.com>\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "Moisture 19% measured at unloading.\r\n")


@tagged("post_install", "-at_install")
class TestComplaintClosedFollowsStage(ComplaintCommon):
    def test_writing_is_closed_closes_nothing(self):
        complaint = self._complaint(stage_id=self.stage_investigating.id)
        for user in (self.quality, self.salesman, self.env.user):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                complaint.with_user(user).write({"is_closed": True})
        self.env.invalidate_all()
        self.assertFalse(complaint.is_closed)
        self.assertFalse(self.stage_investigating.is_closed, "the stage itself is untouched")
        self.assertIn(complaint, self.env["crm.complaint"].search([("is_closed", "=", False)]))

    def test_closing_needs_root_cause_for_any_caller(self):
        complaint = self._complaint()
        for user in (self.salesman, self.quality):
            with self.assertRaisesRegex(ValidationError, "root cause and resolution"), self.env.cr.savepoint():
                complaint.with_user(user).write({"stage_id": self.stage_closed.id})
        complaint.with_user(self.quality).write({
            "stage_id": self.stage_closed.id, "root_cause_category": "material", "resolution": "Re-blended."})
        self.assertTrue(complaint.is_closed)

    def test_reopening_clears_resolution_and_closing_dates(self):
        complaint = self._complaint(root_cause_category="material", resolution="Re-blended.")
        complaint.with_user(self.quality).stage_id = self.stage_closed
        self.assertTrue(complaint.is_closed and complaint.date_resolved and complaint.date_closed)
        self.assertTrue(complaint.date_first_response, "resolving answers the customer")
        complaint.with_user(self.quality).stage_id = self.stage_investigating
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.date_resolved)
        self.assertFalse(complaint.date_closed)
        self.assertIn(complaint, self.env["crm.complaint"].search(self.env["crm.complaint"]._open_domain()))


@tagged("post_install", "-at_install")
class TestComplaintWorkflowFields(ComplaintCommon):
    def test_users_cannot_set_workflow_fields(self):
        complaint = self._complaint()
        now = fields.Datetime.now()
        for user in (self.salesman, self.quality):
            for values in ({"date_first_response": now}, {"date_resolved": now}, {"sla_met": True},
                           {"response_deadline": now + timedelta(days=300)}, {"escalated": True}):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    complaint.with_user(user).with_context(**FORGED_CONTEXT).write(values)
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["crm.complaint"].with_user(user).with_context(**FORGED_CONTEXT).create({
                    "subject": "Backdated", "partner_id": self.customer.id, "date_first_response": now,
                    "date_resolved": now})
        self.env.invalidate_all()
        self.assertFalse(complaint.date_first_response or complaint.date_resolved or complaint.sla_met)

    def test_workflow_sets_them_for_users(self):
        complaint = self._complaint()
        complaint.with_user(self.salesman).action_mark_responded()
        self.assertTrue(complaint.date_first_response)
        answered = self._complaint()
        answered.with_user(self.quality).message_post(
            body="Our engineer comes tomorrow.", subtype_xmlid="mail.mt_comment", message_type="comment")
        self.assertTrue(answered.date_first_response)
        by_accountant = self._complaint()  # accountants only read cases, yet may answer on them
        by_accountant.with_user(self.accountant).message_post(
            body="Credit note on its way.", subtype_xmlid="mail.mt_comment", message_type="comment")
        self.assertTrue(by_accountant.date_first_response)

    def test_dates_in_order(self):
        complaint = self._complaint(date_received=datetime(2026, 11, 16, 8, 0))
        # Even the superuser (data files, migrations) keeps the clock running forward.
        with self.assertRaisesRegex(ValidationError, "before the case was received"), self.env.cr.savepoint():
            complaint.sudo().write({"date_first_response": datetime(2026, 11, 15, 8, 0)})
        with freeze_time(datetime(2026, 11, 16, 9, 0)):
            complaint.with_user(self.quality).action_mark_responded()
        with self.assertRaisesRegex(ValidationError, "resolved before"), self.env.cr.savepoint():
            complaint.sudo().write({"date_resolved": datetime(2026, 11, 16, 8, 30)})
        with self.assertRaisesRegex(ValidationError, "before the case was received"), self.env.cr.savepoint():
            complaint.with_user(self.quality).write({"date_received": datetime(2026, 11, 16, 10, 0)})


@tagged("post_install", "-at_install")
class TestComplaintVisibility(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        main = cls.env.company
        cls.other_company = cls.setup_other_company()["company"]
        cls.salesman.write({"company_ids": [Command.link(cls.other_company.id)]})
        cls.other_customer = cls.env["res.partner"].create({
            "name": "Tangshan Steel", "is_company": True, "user_id": cls.other_salesman.id})
        cls.own_case = cls._complaint_cls(subject="Own case, own company", severity="high", company=main)
        cls.other_company_case = cls._complaint_cls(subject="Own customer, other company", severity="critical",
                                                    company=cls.other_company)
        cls.hidden_case = cls._complaint_cls(subject="Someone else's customer", severity="critical", company=main,
                                             partner=cls.other_customer)

    @classmethod
    def _complaint_cls(cls, subject, severity, company, partner=None):
        return cls.env["crm.complaint"].with_company(company).create({
            "subject": subject, "partner_id": (partner or cls.customer).id, "severity": severity,
            "company_id": company.id})

    def _order_as_salesman(self, partner):
        both = (self.env.company | self.other_company).ids
        env = self.env(user=self.salesman, context={"allowed_company_ids": both})
        return env["sale.order"].create({"partner_id": partner.id, "company_id": self.env.company.id,
                                         "user_id": self.salesman.id})

    def test_banner_shows_only_readable_cases_of_the_orders_company(self):
        order = self._order_as_salesman(self.customer)
        self.assertIn(self.own_case.name, order.complaint_warning)
        self.assertNotIn(self.other_company_case.name, order.complaint_warning)
        self.assertNotIn("critical", order.complaint_warning)

    def test_banner_hides_cases_record_rules_hide(self):
        order = self._order_as_salesman(self.other_customer)
        self.assertFalse(order.complaint_warning)

    def test_billing_rights_alone_see_no_complaint(self):
        billing = new_test_user(self.env, login="crmi_c_billing", groups="account.group_account_invoice",
                                company_id=self.env.company.id, company_ids=[self.env.company.id])
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(billing).search([])
        with self.assertRaises(AccessError):
            self.own_case.with_user(billing).read(["subject"])
        manager = new_test_user(self.env, login="crmi_c_acc_manager", groups="account.group_account_manager",
                                company_id=self.env.company.id, company_ids=[self.env.company.id])
        for accountant in (self.accountant, manager):
            self.assertEqual(self.hidden_case.with_user(accountant).subject, "Someone else's customer")
        rule = self.env.ref("crm_industrial.crm_complaint_rule_all")
        self.assertNotIn(self.env.ref("account.group_account_invoice"), rule.groups)


@tagged("post_install", "-at_install")
class TestComplaintMailTriage(ComplaintCommon):
    def _process(self, sender, subject, message_id):
        complaint_id = self.env["mail.thread"].message_process("crm.complaint", _mail(sender, subject, message_id))
        return self.env["crm.complaint"].browse(complaint_id)

    def test_known_contact_files_for_its_customer(self):
        complaint = self._process("Li Ming <Li.Ming@shandong-power.example.com>", "Wet coal", "crmi-t1")
        self.assertEqual((complaint.partner_id, complaint.contact_id), (self.customer, self.contact))
        self.assertFalse(complaint.to_triage)

    def test_unknown_sender_waits_for_triage(self):
        partners_before = self.env["res.partner"].search_count([])
        forged = self._process("Li Ming <li.ming@shandong-power.example.net>", "Wet coal (forged)", "crmi-t2")
        company_address = self._process("quality@shandong-power.example.com", "From the company box", "crmi-t3")
        for complaint in (forged, company_address):
            self.assertTrue(complaint.to_triage)
            self.assertFalse(complaint.partner_id or complaint.contact_id)
            self.assertEqual(complaint.channel, "email")
        self.assertIn("li.ming@shandong-power.example.net", forged.email_from)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before, "no partner for a stranger")
        self.assertIn(forged, self.env["crm.complaint"].search([("to_triage", "=", True)]))

    def test_triage_cases_count_nowhere_until_confirmed(self):
        forged = self._process("someone@attacker.example.com", "Critical failure", "crmi-t4")
        forged.write({"severity": "critical", "date_received": datetime(2026, 11, 2, 8, 0)})
        self.assertEqual(self.customer.complaint_count, 0)
        order = self.env["sale.order"].with_user(self.salesman).create({"partner_id": self.customer.id})
        self.assertFalse(order.complaint_warning)
        with freeze_time(datetime(2026, 11, 20, 9, 0)):
            self.env["crm.complaint"]._cron_escalate()
        self.assertFalse(forged.escalated)
        self.assertFalse(forged.activity_ids)
        # A salesperson cannot confirm; complaint staff do.
        forged.triage_partner_id = self.customer
        with self.assertRaises(AccessError):
            forged.with_user(self.salesman).action_confirm_customer()
        forged.with_user(self.quality).action_confirm_customer()
        self.assertEqual(forged.partner_id, self.customer)
        self.assertFalse(forged.to_triage)
        self.customer.invalidate_recordset(["complaint_count"])
        self.assertEqual(self.customer.complaint_count, 1)
        with freeze_time(datetime(2026, 11, 20, 9, 0)):
            self.env["crm.complaint"]._cron_escalate()
        self.assertTrue(forged.escalated)

    def test_only_the_gateway_files_without_customer(self):
        with self.assertRaisesRegex(ValidationError, "needs its customer"):
            self.env["crm.complaint"].with_user(self.quality).with_context(**FORGED_CONTEXT).create(
                {"subject": "No customer"})
        complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "cannot lose its customer"):
            complaint.with_user(self.quality).write({"partner_id": False})


@tagged("post_install", "-at_install")
class TestComplaintCompensationBounds(ComplaintCommon):
    def _posted_invoice(self, partner=None, amount=1000.0):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": (partner or self.customer).id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.product_a.id, "quantity": 1,
                                                 "price_unit": amount,
                                                 "tax_ids": [Command.set(self.tax_sale_a.ids)]})]})
        invoice.action_post()
        return invoice

    def _compensate(self, complaint, amount):
        wizard = self.env["crm.complaint.compensation.wizard"].with_user(self.accountant).create(
            {"complaint_id": complaint.id, "amount": amount})
        return self.env["account.move"].browse(wizard.action_create_credit_note()["res_id"])

    def test_credit_notes_add_up_to_the_invoice_at_most(self):
        complaint = self._complaint(invoice_id=self._posted_invoice().id)
        first = self._compensate(complaint, 600)
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            self._compensate(complaint, 600)
        self.assertEqual(complaint.credit_note_ids, first)
        first.button_cancel()
        self._compensate(complaint, 600)  # a cancelled credit note credits nothing
        self._compensate(complaint, 400)
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            self._compensate(complaint, 0.01)

    def test_invoice_of_another_customer_refused(self):
        stranger = self.env["res.partner"].create({"name": "Stranger Ltd", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._complaint(invoice_id=self._posted_invoice(partner=stranger).id)
        complaint = self._complaint(invoice_id=self._posted_invoice().id)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            complaint.with_user(self.quality).write({"invoice_id": self._posted_invoice(partner=stranger).id})

    def test_numbers_are_bounded(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            self._complaint(quantity_affected=1e12)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._complaint().with_user(self.quality).write({"quantity_affected": -1})
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            self._compensate(self._complaint(), 1e13)
        with self.assertRaisesRegex(UserError, "positive"):
            self._compensate(self._complaint(), 0)
        with self.assertRaisesRegex(ValidationError, "sequence"):
            self.env["crm.complaint.stage"].sudo().create({"name": "Odd", "sequence": -5})
        with self.assertRaisesRegex(ValidationError, "sequence"):
            self.env["crm.complaint.category"].sudo().create({"name": "Odd", "sequence": 10**7})


@tagged("post_install", "-at_install")
class TestComplaintAnalysis(ComplaintCommon):
    def test_unknown_measures_are_left_out_of_averages(self):
        answered = self._complaint(date_received=datetime(2026, 11, 16, 8, 0))  # Monday
        with freeze_time(datetime(2026, 11, 16, 9, 0)):
            answered.with_user(self.quality).action_mark_responded()
        late = self._complaint(date_received=datetime(2026, 11, 16, 8, 0))  # 8 working hours: due Tuesday 8:00
        in_time = self._complaint(date_received=datetime(2026, 11, 18, 11, 0))  # due Thursday
        cases = answered | late | in_time
        with freeze_time(datetime(2026, 11, 18, 12, 0)):
            [(count, response, resolution, compliance)] = self.env["crm.complaint"]._read_group(
                [("id", "in", cases.ids)], [],
                ["__count", "response_hours:avg", "resolution_hours:avg", "sla_compliance:avg"])
            self.assertEqual(count, 3)
            self.assertAlmostEqual(response, 1.0, msg="only the answered case has a response time")
            self.assertFalse(resolution, "no case is resolved: no resolution time")
            self.assertAlmostEqual(compliance, 50.0, msg="answered on time and late count, the one in time not")
            groups = self.env["crm.complaint"].read_group(
                [("id", "in", cases.ids)], ["response_hours:avg", "sla_compliance:avg"], [])
            self.assertAlmostEqual(groups[0]["response_hours"], 1.0)
            self.assertAlmostEqual(groups[0]["sla_compliance"], 50.0)

    def test_default_pivot_shows_a_count(self):
        arch = self.env["crm.complaint"].get_view(view_type="pivot")["arch"]
        self.assertNotIn('type="measure"', arch)


@tagged("post_install", "-at_install")
class TestComplaintReport(ComplaintCommon):
    def test_report_shows_deadlines_sla_contact_quantity_in_user_tz(self):
        self.env.user.tz = "Asia/Shanghai"
        complaint = self._complaint(date_received=datetime(2026, 11, 16, 8, 0), user_id=self.quality.id,
                                    product_ids=[Command.set(self.product_a.ids)], quantity_affected=30)
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "crm_industrial.report_crm_complaint", complaint.ids)
        html = html.decode()
        for text in ("Li Ming", self.quality.name, "30.0", self.product_a.uom_id.name, "Breached", "Response Deadline",
                     "Resolution Deadline", "16:00", "Asia/Shanghai", self.env.company.name):
            self.assertIn(text, html)
