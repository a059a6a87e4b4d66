"""The customer portal as the customer reads it: whether each promise was kept, and in its language."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

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
