"""The customer portal's supply notices (/my/notices): the notices sent to the user's company, what
they mean for its open orders, and the same acknowledgement as the email's link."""

import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .test_portal_complaint import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalNotice(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="crmi_pn_manager",
                                    groups="crm_industrial.group_supply_notice_manager")
        cls.quotation = cls.env["sale.order"].create({
            "partner_id": cls.customer.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 25})]})

    def _notice(self, partners, publish=True, **values):
        notice = self.env["crm.supply.notice"].create({
            "title": "Coking coal on allocation", "notice_type": "shortage",
            "message": "<p>Rail works cut deliveries by a third.</p>",
            "recommended_action": "Tell us which deliveries matter most.",
            "internal_notes": "Secret: keep the steel group at 100 %",
            "product_ids": [Command.set(self.product.ids)], **values})
        self.env["crm.supply.notice.recipient"].create([
            {"notice_id": notice.id, "partner_id": partner.id} for partner in partners])
        if publish:
            notice.with_user(self.manager).action_publish()
        return notice

    def _recipient(self, notice, partner):
        return notice.recipient_ids.filtered(lambda recipient: recipient.partner_id == partner)

    def test_list_and_page_with_open_orders(self):
        notice = self._notice(self.customer | self.other_customer)
        only_other = self._notice(self.other_customer, title="Only for the rival")
        draft = self._notice(self.customer, publish=False, title="Draft not yet sent")
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        listing = self.url_open("/my/notices").text
        self.assertIn(notice.name, listing)
        self.assertNotIn("Only for the rival", listing)
        self.assertNotIn("Draft not yet sent", listing)
        page = self.url_open(f"/my/notices/{notice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Rail works cut deliveries", page.text)
        self.assertIn("Tell us which deliveries matter most.", page.text)
        self.assertNotIn("Secret", page.text, "no internal notes")
        self.assertIn(self.quotation.name, page.text, "the open quotation with the product is shown")
        self.assertIn(self.order.name, page.text, "so is the confirmed order not yet delivered")
        self.assertNotIn(self.other_order.name, page.text)
        self.assertEqual(self.url_open(f"/my/notices/{only_other.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/notices/{draft.id}").status_code, 404)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["notice_count", "notice_to_ack_count"]})
        self.assertEqual(counters, {"notice_count": 1, "notice_to_ack_count": 1})

    def test_acknowledge_from_portal_same_record(self):
        notice = self._notice(self.customer | self.other_customer)
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        page = self.url_open(f"/my/notices/{notice.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.assertEqual(self.url_open(f"/my/notices/{notice.id}/acknowledge", data={"x": "1"}).status_code, 400,
                         "no CSRF token, no acknowledgement")
        self.assertFalse(self._recipient(notice, self.customer).acknowledged)
        response = self.url_open(f"/my/notices/{notice.id}/acknowledge", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("we recorded that your company read this notice", response.text)
        recipient = self._recipient(notice, self.customer)
        self.assertTrue(recipient.acknowledged and recipient.acknowledged_on)
        self.assertEqual(recipient.acknowledged_by, self.user.name)
        self.assertFalse(self._recipient(notice, self.other_customer).acknowledged)
        self.assertIn("acknowledged the notice", notice.message_ids[0].body)
        self.assertEqual(self.make_jsonrpc_request("/my/counters", {"counters": ["notice_to_ack_count"]}),
                         {"notice_to_ack_count": 0})
        # the other customer cannot acknowledge for anyone else
        only_first = self._notice(self.customer, title="Second")
        self.authenticate("crmi_pc_other", "crmi_pc_other")
        page = self.url_open(f"/my/notices/{notice.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(f"/my/notices/{only_first.id}/acknowledge", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._recipient(only_first, self.customer).acknowledged)

    def test_past_notice_listed_not_acknowledged(self):
        today = fields.Date.context_today(self.env["crm.supply.notice"])
        notice = self._notice(self.customer, date_from=today - timedelta(days=30), date_to=today - timedelta(days=5))
        self.env["crm.supply.notice"]._cron_expire()
        self.assertEqual(notice.state, "expired")
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        self.assertIn(notice.name, self.url_open("/my/notices?filterby=past").text)
        self.assertNotIn(notice.name, self.url_open("/my/notices?filterby=in_effect").text)
        page = self.url_open(f"/my/notices/{notice.id}")
        self.assertNotIn("o_crmi_notice_ack", page.text, "nothing to acknowledge any more")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open("/my/complaints/new").text).group(1)
        self.url_open(f"/my/notices/{notice.id}/acknowledge", data={"csrf_token": csrf})
        self.assertFalse(self._recipient(notice, self.customer).acknowledged)


@tagged("post_install", "-at_install")
class TestPortalTour(PortalCommon):
    def test_portal_flow(self):
        manager = new_test_user(self.env, login="crmi_pt_manager", groups="crm_industrial.group_supply_notice_manager")
        notice = self.env["crm.supply.notice"].create({
            "title": "Bagged coal: new pallets", "notice_type": "policy",
            "product_ids": [Command.set(self.product.ids)]})
        self.env["crm.supply.notice.recipient"].create({"notice_id": notice.id, "partner_id": self.customer.id})
        notice.with_user(manager).action_publish()
        self.start_tour("/my", "crm_industrial_portal_tour", login="crmi_pc_portal")
        complaint = self.env["crm.complaint"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(complaint.subject, "Torn bags on delivery")
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.channel, "portal")
        self.assertTrue(notice.recipient_ids.acknowledged)


@tagged("post_install", "-at_install")
class TestPortalSpecifications(PortalCommon):
    """The quality specifications the seller holds for the customer, on its portal (read only)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sulphur = cls.env["crm.quality.parameter"].create({"name": "Sulphur (portal test)", "unit": "%"})
        calorific = cls.env["crm.quality.parameter"].create({"name": "Calorific (portal test)", "unit": "kcal/kg"})
        coal = cls.env["product.category"].create({"name": "Coal (portal test)"})
        cls.spec = cls.env["crm.customer.spec"].create({
            "partner_id": cls.customer.id, "categ_id": coal.id, "note": "Internal: their lab is lenient",
            "line_ids": [Command.create({"parameter_id": sulphur.id, "limit_type": "max", "max_value": 0.8}),
                         Command.create({"parameter_id": calorific.id, "limit_type": "min", "min_value": 5500})]})
        cls.env["crm.customer.spec"].create({
            "partner_id": cls.other_customer.id, "product_tmpl_id": cls.product.product_tmpl_id.id,
            "line_ids": [Command.create({"parameter_id": sulphur.id, "limit_type": "max", "max_value": 0.3})]})

    def test_own_specifications_only_without_internal_notes(self):
        self.authenticate("crmi_pc_portal", "crmi_pc_portal")
        page = self.url_open("/my/specifications")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Coal (portal test)", page.text)
        self.assertIn("Sulphur (portal test)", page.text)
        self.assertIn("≤ 0.8 %", page.text)
        self.assertIn("≥ 5", page.text)
        self.assertNotIn("0.3", page.text, "another customer's specification")
        self.assertNotIn("lenient", page.text, "no internal note")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["spec_count"]})
        self.assertEqual(counters, {"spec_count": 1})
        self.spec.active = False
        self.assertNotIn("Coal (portal test)", self.url_open("/my/specifications").text, "archived: gone")

    def test_other_customer_sees_its_own(self):
        self.authenticate("crmi_pc_other", "crmi_pc_other")
        page = self.url_open("/my/specifications").text
        self.assertIn("≤ 0.3 %", page)
        self.assertNotIn("Coal (portal test)", page)
