"""The customer portal's complaints (/my/complaints): a portal user of one customer files, follows,
talks about and rates its company's cases, and never reaches another customer's."""

import re

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_industrial.controllers.portal import MAX_FILE_SIZE
from odoo.addons.crm_industrial.models.crm_complaint_portal import PORTAL_HOURLY_LIMIT

from .common import CrmIndustrialHttpCase

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


class PortalCommon(CrmIndustrialHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.representative = new_test_user(cls.env, login="crmi_pc_rep", name="Rita Rep",
                                           groups="crm_industrial.group_complaint_user")
        cls.customer = cls.env["res.partner"].create({
            "name": "Portal Buyer Co", "is_company": True, "email": "buyer@portal-buyer.example.com",
            "complaint_representative_id": cls.representative.id})
        cls.contact = cls.env["res.partner"].create({
            "name": "Pat Buyer", "parent_id": cls.customer.id, "email": "pat@portal-buyer.example.com"})
        cls.user = new_test_user(cls.env, login="crmi_pc_portal", password="crmi_pc_portal",
                                 groups="base.group_portal", partner_id=cls.contact.id)
        cls.other_customer = cls.env["res.partner"].create({
            "name": "Rival Works", "is_company": True, "email": "rival@example.com"})
        cls.other_contact = cls.env["res.partner"].create({
            "name": "Olga Rival", "parent_id": cls.other_customer.id, "email": "olga@rival.example.com"})
        cls.other_user = new_test_user(cls.env, login="crmi_pc_other", password="crmi_pc_other",
                                       groups="base.group_portal", partner_id=cls.other_contact.id)
        cls.product = cls.env["product.product"].create({"name": "Coking Coal Grade A", "type": "consu",
                                                         "list_price": 100.0})
        cls.order = cls._order(cls.customer)
        cls.other_order = cls._order(cls.other_customer)

    @classmethod
    def _order(cls, partner):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 40})]})
        order.action_confirm()
        return order

    def _csrf(self, response):
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


@tagged("post_install", "-at_install")
class TestPortalComplaint(PortalCommon):
    def _form(self):
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        return response

    def _post(self, files=None, **values):
        csrf = self._csrf(self._form())
        data = {"csrf_token": csrf, "kind": "complaint", "subject": "Wet coal in wagon 7",
                "description": "Moisture 14 % instead of 8 %.", **values}
        return self.url_open("/my/complaints/new", data=data, files=files or {})

    def _complaints(self, partner):
        return self.env["crm.complaint"].search([("partner_id", "=", partner.id)])

    def test_file_with_attachment_same_create_path(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        form = self._form()
        self.assertIn(self.order.name, form.text, "the company's own orders are offered")
        self.assertNotIn(self.other_order.name, form.text, "never another customer's")
        response = self._post(
            sale_order_id=str(self.order.id), product_ids=str(self.product.id), quantity_affected="12.5",
            files={"attachments": ("wagon7.png", PNG, "image/png")})
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints(self.customer)
        self.assertEqual(len(complaint), 1)
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        self.assertIn(complaint.name, response.text)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.create_uid, self.user, "filed as the portal user, not as the system")
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.product_ids, self.product)
        self.assertEqual(complaint.quantity_affected, 12.5)
        # the same routing and SLA as a case typed in the back office
        self.assertEqual(complaint.user_id, self.representative)
        self.assertTrue(complaint.response_deadline and complaint.resolution_deadline)
        self.assertFalse(complaint.date_first_response, "the customer's own message is no answer")
        self.assertIn(self.contact, complaint.message_partner_ids)
        self.assertIn(self.representative.partner_id, complaint.message_partner_ids)
        attachment = self.env["ir.attachment"].search([("res_model", "=", "crm.complaint"),
                                                       ("res_id", "=", complaint.id)])
        self.assertEqual(attachment.mimetype, "image/png")
        self.assertEqual(attachment.raw, PNG)
        filed = complaint.message_ids.filtered(lambda message: message.author_id == self.contact)
        self.assertEqual(filed.attachment_ids, attachment, "the photo is in the case's conversation")
        self.assertIn(self.representative.partner_id, filed.notified_partner_ids, "the responsible is told at once")
        self.env.cr.flush()
        received = complaint.message_ids.filtered(
            lambda message: self.contact in message.partner_ids and "received" in (message.subject or ""))
        self.assertTrue(received, "the customer is told by email that the case was received")

    def test_sees_own_company_cases_only(self):
        own = self.env["crm.complaint"].create({"subject": "Late train", "partner_id": self.customer.id})
        other = self.env["crm.complaint"].create({"subject": "Secret rival case", "partner_id": self.other_customer.id})
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        listing = self.url_open("/my/complaints")
        self.assertIn(own.name, listing.text)
        self.assertNotIn(other.name, listing.text)
        self.assertEqual(self.url_open(f"/my/complaints/{own.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/complaints/{other.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/complaints/999999").status_code, 404)
        closed = self.url_open("/my/complaints?filterby=closed")
        self.assertNotIn(own.name, closed.text)
        # the other customer's user does not see the first one's case either
        self.authenticate("crmi_pc_other", "crmi_pc_other")
        self.assertEqual(self.url_open(f"/my/complaints/{own.id}").status_code, 404)
        self.assertIn(other.name, self.url_open("/my/complaints").text)
        # the link of the emails Odoo sends the customer (the case's own token) opens it without login
        self.authenticate(None, None)
        token = own.sudo()._portal_ensure_token()
        self.assertEqual(self.url_open(f"/my/complaints/{own.id}?access_token={token}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/complaints/{own.id}?access_token={token[:-2]}xx").status_code, 404)
        self.assertEqual(self.url_open(f"/my/complaints/{other.id}?access_token={token}").status_code, 404)

    def test_page_shows_nothing_internal(self):
        tier = self.env.ref("crm_industrial.crm_key_account_tier_strategic")
        self.customer.sudo().key_account_tier_id = tier
        complaint = self.env["crm.complaint"].create({
            "subject": "Ash content", "partner_id": self.customer.id,
            "root_cause_analysis": "Internal: supplier mixed two seams"})
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn("Ash content", page)
        self.assertNotIn("supplier mixed two seams", page)
        self.assertNotIn(tier.name, page)

    def test_refuses_another_company_order(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        response = self._post(sale_order_id=str(self.other_order.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("not one of your company", response.text)
        response = self._post(invoice_id=str(self.other_order.id))
        self.assertEqual(response.status_code, 400, "an id that is none of the company's invoices")
        response = self._post(product_ids="999999")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._complaints(self.customer) | self._complaints(self.other_customer))

    def test_refuses_oversized_and_wrong_files(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        big = PNG + b"\0" * MAX_FILE_SIZE
        response = self._post(files={"attachments": ("huge.png", big * 2, "image/png")})
        self.assertGreaterEqual(response.status_code, 400, "Odoo's own limit on a request (413)")
        for name, data in (("big.png", big), ("tool.exe", b"MZ\x90\x00" + b"\0" * 100),
                           ("fake.png", b"<html><script>alert(1)</script></html>"),
                           ("page.html", b"<html></html>"), ("drawing.svg", b"<svg></svg>")):
            response = self._post(files={"attachments": (name, data, "application/octet-stream")})
            self.assertEqual(response.status_code, 400, name)
            self.assertIn(name, response.text)
        self.assertFalse(self._complaints(self.customer))
        response = self._post(files={"attachments": ("readings.csv", b"lot,moisture\nA7,14\n", "text/csv")})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._complaints(self.customer)), 1)

    def test_csrf_required(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        response = self.url_open("/my/complaints/new", data={"subject": "No token"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._complaints(self.customer))

    def test_flood_throttled(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        for index in range(PORTAL_HOURLY_LIMIT):
            self.assertEqual(self._post(subject=f"Case {index}").status_code, 200)
        response = self._post(subject="One too many")
        self.assertEqual(response.status_code, 400)
        self.assertIn("in the last hour", response.text)
        self.assertEqual(len(self._complaints(self.customer)), PORTAL_HOURLY_LIMIT)

    def test_message_and_rate(self):
        complaint = self.env["crm.complaint"].create({"subject": "Short weight", "partner_id": self.customer.id,
                                                      "contact_id": self.contact.id})
        complaint.message_post(body="Internal: weighbridge 3 is off", message_type="comment",
                               subtype_xmlid="mail.mt_note")
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        token = re.search(r'data-token="([^"]+)"', page).group(1)
        pid = re.search(r'data-pid="([^"]+)"', page).group(1)
        sign = re.search(r'data-hash="([^"]+)"', page).group(1)
        self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "crm.complaint", "thread_id": complaint.id, "token": token, "pid": pid, "hash": sign,
            "post_data": {"body": "The wagons weighed 58 t, not 60 t.", "message_type": "comment",
                          "subtype_xmlid": "mail.mt_comment"}})
        message = complaint.message_ids.filtered(lambda message: "58 t" in str(message.body))
        self.assertEqual(message.author_id, self.contact)
        fetched = self.make_jsonrpc_request("/mail/chatter_fetch", {
            "thread_model": "crm.complaint", "thread_id": complaint.id, "token": token})
        bodies = " ".join(str(message["body"]) for message in fetched["data"]["mail.message"])
        self.assertIn("58 t", bodies)
        self.assertNotIn("weighbridge", bodies, "internal notes stay internal")
        # closed: the customer rates the resolution through Odoo's rating pages
        complaint.write({"root_cause_category": "logistics", "resolution": "Credit note for 2 t"})
        complaint.stage_id = self.env.ref("crm_industrial.crm_complaint_stage_closed")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        rating_token = re.search(r'/rate/([\w-]+)/5', page).group(1)
        rate_page = self.url_open(f"/rate/{rating_token}/5")
        self.assertEqual(rate_page.status_code, 200)
        self.url_open(f"/rate/{rating_token}/submit_feedback",
                      data={"rate": "5", "feedback": "Quick and fair", "csrf_token": self._csrf(rate_page)})
        self.assertEqual(complaint.rating_last_value, 5)
        self.assertIn("Quick and fair", self.url_open(f"/my/complaints/{complaint.id}").text)

    def test_stage_email_and_counters(self):
        complaint = self.env["crm.complaint"].create({"subject": "Dust", "partner_id": self.customer.id,
                                                      "contact_id": self.contact.id})
        self.env.cr.flush()  # filed, then moved on later
        complaint.stage_id = self.env.ref("crm_industrial.crm_complaint_stage_investigating")
        self.env.cr.flush()
        told = complaint.message_ids.filtered(lambda message: "investigating" in (message.subject or ""))
        self.assertEqual(told.partner_ids, self.contact, "the customer is told of the stage change")
        complaint.stage_id = self.env.ref("crm_industrial.crm_complaint_stage_remedy")
        self.env.cr.flush()
        self.assertEqual(len(complaint.message_ids.filtered("subject")), 1, "no email for a stage without template")
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count", "notice_count"]})
        self.assertEqual(counters["complaint_count"], 1)
        self.assertEqual(counters["notice_count"], 0)
        home = self.url_open("/my")
        self.assertIn("/my/complaints", home.text)

    def test_back_office_sees_portal_cases(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        self._post()
        found = self.env["crm.complaint"].search([("channel", "=", "portal")])
        self.assertEqual(found.partner_id, self.customer)
        search_view = self.env.ref("crm_industrial.crm_complaint_view_search")
        self.assertIn('name="from_portal"', search_view.arch)
