"""The customer portal as the customer reads it: whether each promise was kept, and in its language."""

import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .test_portal_complaint import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalPromises(PortalCommon):
    """The case page tells the customer, per promised date, whether it was kept, missed, overdue or not yet due."""

    def _case(self, **values):
        complaint = self.env["crm.complaint"].create({"subject": "Lumps in fines", "partner_id": self.customer.id,
                                                      **values})
        self.env.flush_all()  # its deadlines computed now, so that the dates written below stay
        return complaint

    def _badges(self, complaint):
        self.env.flush_all()  # the page is served by another environment on the same cursor
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        table = page.split("o_crmi_complaint_sla", 1)[1].split("</table>", 1)[0]
        self._table = table
        labels = ("Kept", "Missed", "Overdue", "Not yet due")
        return [label for label in labels for _n in range(table.count(f">{label}<"))]

    def test_answered_in_time_is_kept_and_resolution_not_yet_due(self):
        complaint = self._case()
        complaint.sudo().write({"response_deadline": fields.Datetime.now() + timedelta(days=1),
                                "resolution_deadline": fields.Datetime.now() + timedelta(days=5),
                                "date_first_response": fields.Datetime.now()})
        self.assertEqual(sorted(self._badges(complaint)), ["Kept", "Not yet due"])

    def test_stage_email_promises_dates_without_seconds(self):
        complaint = self.env["crm.complaint"].create({"subject": "Dust", "partner_id": self.customer.id,
                                                      "contact_id": self.contact.id})
        self.env.cr.flush()
        complaint.stage_id = self.env.ref("crm_industrial.crm_complaint_stage_investigating")
        self.env.cr.flush()
        told = complaint.message_ids.filtered(lambda message: "investigating" in (message.subject or ""))
        self.assertIn("resolve it by", told.body)
        self.assertFalse(re.search(r"\d:\d\d:\d\d", told.body), told.body)

    def test_stage_email_promises_in_the_customers_time_zone_named(self):
        """A contact without a time zone reads the promise in the time zone of the working calendar
        the deadline was planned on, named; a contact with one, in its own."""
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.contact.tz = False
        complaint = self.env["crm.complaint"].create({"subject": "Wet coal", "partner_id": self.customer.id,
                                                      "contact_id": self.contact.id})
        self.env.cr.flush()
        complaint.sudo().resolution_deadline = datetime(2026, 11, 19, 12, 1)  # UTC
        complaint.stage_id = self.env.ref("crm_industrial.crm_complaint_stage_investigating")
        self.env.cr.flush()
        told = complaint.message_ids.filtered(lambda message: "investigating" in (message.subject or ""))
        self.assertRegex(str(told.body), r"resolve it by 11/19/26, 8:01\W*PM \(China", "Shanghai time, named")
        self.contact.tz = "Europe/Paris"
        self.assertRegex(complaint._promise_time(complaint.resolution_deadline), r"1:01\W*PM \(Central European")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        self.assertEqual(complaint.with_context(lang="zh_CN")._promise_time(complaint.resolution_deadline)[-1], "）",
                         "in Chinese, Chinese brackets")
        self.contact.tz = "UTC"
        self.assertRegex(complaint._promise_time(complaint.resolution_deadline), r"12:01\W*PM \(UTC\)$")

    def test_deadline_passed_without_answer_is_overdue_and_late_answer_missed(self):
        complaint = self._case(date_received=fields.Datetime.now() - timedelta(days=5))
        complaint.sudo().write({"response_deadline": fields.Datetime.now() - timedelta(days=3),
                                "resolution_deadline": fields.Datetime.now() - timedelta(hours=1),
                                "date_first_response": fields.Datetime.now() - timedelta(days=2)})
        self.assertEqual(complaint._portal_sla_kept("response_deadline", "date_first_response"), "missed")
        self.assertEqual(complaint._portal_sla_kept("resolution_deadline", "date_resolved"), "late")
        self.assertEqual(sorted(self._badges(complaint)), ["Missed", "Overdue"], self._table)


@tagged("post_install", "-at_install")
class TestPortalInChinese(PortalCommon):
    """A portal user whose language is Chinese reads the addon's portal pages in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        cls.user.lang = "zh_CN"

    def _page(self, url):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_pages_in_chinese(self):
        self.env["crm.complaint"].create({"subject": "Lumps in fines", "partner_id": self.customer.id})
        english = ["Complaints and Suggestions", "File a complaint or suggestion", "Supply Notices",
                   "What we promised", "Quality Specifications"]
        pages = {url: self._page(url) for url in ("/my", "/my/complaints", "/my/notices", "/my/specifications",
                                                  "/my/complaints/new")}
        complaint = self.env["crm.complaint"].search([("partner_id", "=", self.customer.id)], limit=1)
        pages["case"] = self._page(f"/my/complaints/{complaint.id}")
        self.assertIn("投诉与建议", pages["/my"])
        self.assertIn("投诉与建议", pages["/my/complaints"])
        for url, page in pages.items():
            for term in english:
                self.assertNotIn(f">{term}<", page, f"{term!r} left in English on {url}")

    def test_acknowledgement_noted_in_the_notice_authors_language(self):
        """Staff who follow a notice read the customer's acknowledgement in the notice author's
        language, whatever the language of the browser that opened the link."""
        author = new_test_user(self.env, login="crmi_pl_manager", groups="crm_industrial.group_supply_notice_manager")
        author.lang = "zh_CN"
        notice = self.env["crm.supply.notice"].with_user(author).create({
            "title": "Pallets", "notice_type": "policy", "message": "<p>New pallets.</p>"})
        recipient = self.env["crm.supply.notice.recipient"].create({"notice_id": notice.id,
                                                                    "partner_id": self.customer.id})
        recipient.with_context(lang="en_US")._acknowledge("Pat Buyer")
        self.assertIn("确认", notice.message_ids[0].body)
        self.assertNotIn("acknowledged the notice", notice.message_ids[0].body)

    def test_notice_page_sentences_in_chinese(self):
        """The notice page says its period and its products as Chinese sentences, as the letter does
        (Chinese punctuation, products listed with 、 and 和, not joined by ', ')."""
        manager = new_test_user(self.env, login="crmi_pl_publisher",
                                groups="crm_industrial.group_supply_notice_manager")
        other = self.env["product.product"].create({"name": "Washed coal"})
        notice = self.env["crm.supply.notice"].create({
            "title": "Rail works", "notice_type": "delay", "message": "<p>Fewer wagons.</p>",
            "date_from": fields.Date.today(), "date_to": fields.Date.today() + timedelta(days=30),
            "product_ids": [(6, 0, (self.product | other).ids)]})
        self.env["crm.supply.notice.recipient"].create({"notice_id": notice.id, "partner_id": self.customer.id})
        notice.with_user(manager).action_publish()
        self.env.flush_all()
        page = self._page(f"/my/notices/{notice.id}")
        self.assertRegex(page, r"生效日期：\s*<span[^>]*>[^<]+</span>\s*至\s*<span[^>]*>[^<]+</span>。")
        names = notice.with_context(lang="zh_CN").product_ids.mapped("display_name")
        self.assertIn("%s和%s" % tuple(names), page)
        self.assertNotIn(", ".join(names), page)
