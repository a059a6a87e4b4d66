"""The acknowledgement link: GET shows, POST (CSRF) acknowledges, and only the email holds the link."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestAcknowledgement(CrmIndustrialHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.phone = "+86 21 5555 0100"
        cls.salesperson = new_test_user(cls.env, login="crmi_ack_sales", name="Sun Sales",
                                        groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, login="crmi_ack_manager",
                                    groups="crm_industrial.group_supply_notice_manager")
        cls.customer = cls.env["res.partner"].create({"name": "Token Co", "is_company": True,
                                                      "email": "token@example.com"})

    def _publish(self, **values):
        notice = self.env["crm.supply.notice"].create({"title": "Rail strike", "notice_type": "delay", **values})
        recipient = self.env["crm.supply.notice.recipient"].create({"notice_id": notice.id,
                                                                    "partner_id": self.customer.id})
        notice.with_user(self.manager).action_publish()
        path = re.search(r'/supply-notice/ack/\d+/[\w-]+', recipient.sudo().mail_id.body_html).group(0)
        return notice, recipient, path

    def _csrf(self, response):
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_get_shows_post_acknowledges(self):
        notice, recipient, path = self._publish()
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Rail strike", response.text)
        self.assertIn(self.company.name, response.text)
        self.assertIn(self.company.phone, response.text, "a contact to call")
        self.assertIn('method="post"', response.text)
        recipient.invalidate_recordset()
        self.assertFalse(recipient.acknowledged, "opening the link (a mail scanner) acknowledges nothing")
        self.url_open(path)
        self.assertFalse(recipient.acknowledged)
        response = self.url_open(path, data={"csrf_token": self._csrf(response), "name": "Zhao Reader"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        recipient.invalidate_recordset()
        self.assertTrue(recipient.acknowledged and recipient.acknowledged_on)
        self.assertEqual(recipient.acknowledged_by, "Zhao Reader")
        self.assertIn("Already acknowledged", self.url_open(path).text)

    def test_post_needs_csrf(self):
        notice, recipient, path = self._publish()
        response = self.url_open(path, data={"name": "Scanner"})
        self.assertEqual(response.status_code, 400)
        response = self.url_open(path, data={"name": "Scanner", "csrf_token": "0" * 40 + "o9999999999"})
        self.assertEqual(response.status_code, 400)
        recipient.invalidate_recordset()
        self.assertFalse(recipient.acknowledged)

    def test_bad_token_refused(self):
        notice, recipient, path = self._publish()
        response = self.url_open(path)
        csrf = self._csrf(response)
        bad = path[:-4] + ("aaaa" if not path.endswith("aaaa") else "bbbb")
        self.assertEqual(self.url_open(bad).status_code, 404, "tampered")
        self.assertEqual(self.url_open(bad, data={"csrf_token": csrf}).status_code, 404)
        other_notice = self.env["crm.supply.notice"].create({"title": "Other", "notice_type": "price"})
        other = self.env["crm.supply.notice.recipient"].create({"notice_id": other_notice.id,
                                                                "partner_id": self.customer.id})
        token = path.rsplit("/", 1)[1]
        self.assertEqual(self.url_open(f"/supply-notice/ack/{other.id}/{token}", data={"csrf_token": csrf}).status_code,
                         404, "a token is for one recipient only")
        recipient.invalidate_recordset()
        self.assertFalse(recipient.acknowledged)

    def test_closed_or_ended_refused(self):
        notice, recipient, path = self._publish()
        csrf = self._csrf(self.url_open(path))
        notice.with_user(self.manager).action_close()
        self.assertEqual(self.url_open(path).status_code, 410, "expires with the notice")
        self.assertEqual(self.url_open(path, data={"csrf_token": csrf}).status_code, 410)
        ended, ended_recipient, ended_path = self._publish(
            date_from=fields.Date.today() - timedelta(days=10), date_to=fields.Date.today() - timedelta(days=2))
        self.assertEqual(ended.state, "published", "the daily job has not run yet")
        self.assertEqual(self.url_open(ended_path, data={"csrf_token": csrf}).status_code, 410,
                         "in effect by the notice's own dates")
        recipient.invalidate_recordset()
        ended_recipient.invalidate_recordset()
        self.assertFalse(recipient.acknowledged or ended_recipient.acknowledged)

    def test_internal_users_cannot_get_a_valid_link(self):
        notice, recipient, path = self._publish()
        token = path.rsplit("/", 1)[1]
        template = self.env.ref("crm_industrial.mail_template_supply_notice")
        for user in (self.salesperson, self.manager):
            rendered = template.with_user(user)._render_field("body_html", recipient.ids)[recipient.id]
            self.assertNotIn(token, rendered, "a template preview renders no valid link")
            self.assertNotIn("/supply-notice/ack/", rendered)
            with self.assertRaises(AccessError):
                recipient.with_user(user).read(["ack_token_hash"])
            with self.assertRaises(AccessError):
                recipient.with_user(user).read(["mail_id"])
            messages = self.env["mail.message"].with_user(user).search([("body", "ilike", token)])
            self.assertFalse(messages, "the sent email is not readable back")
            self.assertFalse(hasattr(recipient, "_ack_url") or hasattr(recipient, "_ack_token"))
