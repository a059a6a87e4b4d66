from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon


class SupplyNoticeCommon(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.manager = new_test_user(cls.env, login="crmi_sn_manager",
                                    groups="crm_industrial.group_supply_notice_manager")
        cls.category = cls.env["product.category"].create({"name": "Alkali"})
        cls.subcategory = cls.env["product.category"].create({"name": "Caustic soda", "parent_id": cls.category.id})
        cls.soda = cls.env["product.product"].create({"name": "Caustic soda 32%", "categ_id": cls.subcategory.id})
        cls.acid = cls.env["product.product"].create({"name": "Sulphuric acid 98%"})
        cls.buyers = cls.env["res.partner"].create([
            {"name": name, "is_company": True, "email": f"info@{name.lower().replace(' ', '')}.example.com"}
            for name in ("Recent Buyer", "Old Buyer", "Open Order Co", "Invoiced Co", "Acid Only Co")])
        cls.purchasing = ref("crm_industrial.crm_buying_role_purchasing_manager")
        cls.logistics = ref("crm_industrial.crm_buying_role_logistics_manager")
        cls.technical = ref("crm_industrial.crm_buying_role_technical_evaluator")
        recent = cls.buyers[0]
        cls.buyer_contact = cls.env["res.partner"].create({
            "name": "Zhang Buyer", "parent_id": recent.id, "email": "zhang@recent.example.com",
            "buying_role_ids": [Command.set(cls.purchasing.ids)]})
        cls.logistics_contact = cls.env["res.partner"].create({
            "name": "Li Logistics", "parent_id": recent.id, "email": "li@recent.example.com",
            "buying_role_ids": [Command.set(cls.logistics.ids)]})
        cls._sold(recent, cls.soda, days_ago=20)
        cls._sold(cls.buyers[1], cls.soda, days_ago=400)
        cls._sold(cls.buyers[2], cls.soda, days_ago=0, confirm=False)
        cls._sold(cls.buyers[4], cls.acid, days_ago=10)

    @classmethod
    def _sold(cls, partner, product, days_ago, confirm=True):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10})]})
        if confirm:
            order.action_confirm()
            order.order_line.qty_delivered = 10
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _notice(self, **values):
        return self.env["crm.supply.notice"].create({
            "title": "Caustic soda allocation", "notice_type": "shortage",
            "product_ids": [Command.set(self.soda.ids)], **values})


@tagged("post_install", "-at_install")
class TestTargeting(SupplyNoticeCommon):
    def test_lookback_open_orders_and_products(self):
        notice = self._notice()
        notice.action_find_affected_customers()
        found = notice.recipient_ids.partner_id
        self.assertIn(self.buyers[0], found, "bought within the look-back")
        self.assertIn(self.buyers[2], found, "has an open quotation")
        self.assertNotIn(self.buyers[1], found, "bought before the look-back")
        self.assertNotIn(self.buyers[4], found, "bought another product")
        notice.lookback_days = 500
        notice.action_find_affected_customers()
        self.assertIn(self.buyers[1], notice.recipient_ids.partner_id)
        self.assertEqual(len(notice.recipient_ids), len(set(notice.recipient_ids.partner_id.ids)), "no duplicates")

    def test_fully_delivered_or_invoiced_old_orders_are_not_open(self):
        old = self.buyers[1].sale_order_ids
        old.order_line.qty_delivered = 0  # no stock module: invoiced in full is enough to be done
        self.env["sale.order.line"].flush_model()
        self.env.cr.execute("UPDATE sale_order_line SET qty_invoiced = product_uom_qty WHERE order_id = %s", old.ids)
        notice = self._notice()
        notice.action_find_affected_customers()
        self.assertNotIn(self.buyers[1], notice.recipient_ids.partner_id)
        self.env.cr.execute("UPDATE sale_order_line SET qty_invoiced = 0 WHERE order_id = %s", old.ids)
        notice.action_find_affected_customers()
        self.assertIn(self.buyers[1], notice.recipient_ids.partner_id, "neither delivered nor invoiced: open")

    def test_categories_include_subcategories(self):
        notice = self._notice(product_ids=[Command.clear()], product_category_ids=[Command.set(self.category.ids)])
        notice.action_find_affected_customers()
        self.assertIn(self.buyers[0], notice.recipient_ids.partner_id)

    def test_tier_filter_and_archived(self):
        strategic = self.env.ref("crm_industrial.crm_key_account_tier_strategic")
        self.buyers[0].key_account_tier_id = strategic
        notice = self._notice(tier_ids=[Command.set(strategic.ids)])
        notice.action_find_affected_customers()
        self.assertEqual(notice.recipient_ids.partner_id, self.buyers[0])
        self.buyers[0].active = False
        other = self._notice()
        other.action_find_affected_customers()
        self.assertNotIn(self.buyers[0], other.recipient_ids.partner_id)
        self.soda.active = False
        by_category = self._notice(product_ids=[Command.clear()], product_category_ids=[Command.set(self.category.ids)])
        by_category.action_find_affected_customers()
        self.assertFalse(by_category.recipient_ids, "archived products are not found through their category")
        recall = self._notice(notice_type="quality")
        recall.action_find_affected_customers()
        self.assertIn(self.buyers[2], recall.recipient_ids.partner_id, "a recall names a discontinued product")

    def test_other_company_orders_ignored(self):
        other_company = self.env["res.company"].create({"name": "Sister Chemicals"})
        notice = self._notice(company_id=other_company.id)
        notice.action_find_affected_customers()
        self.assertFalse(notice.recipient_ids)

    def test_bad_dates_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._notice(date_from="2026-12-10", date_to="2026-12-01")

    def test_customer_side_warnings_are_targeted_by_hand(self):
        notice = self._notice(notice_type="overstock")
        with self.assertRaisesRegex(UserError, "by hand"):
            notice.action_find_affected_customers()

    def test_contact_choice_per_type(self):
        shortage = self._notice()
        delay = self._notice(notice_type="delay")
        quality = self._notice(notice_type="quality")
        for notice in (shortage, delay, quality):
            notice.recipient_ids = [Command.create({"partner_id": self.buyers[0].id})]
        self.assertEqual(shortage.recipient_ids.contact_id, self.buyer_contact)
        self.assertEqual(delay.recipient_ids.contact_id, self.logistics_contact)
        self.assertEqual(quality.recipient_ids.contact_id, self.buyer_contact, "no technical contact: purchasing")
        quality.recipient_ids.partner_id = self.buyers[1]
        self.assertFalse(quality.recipient_ids.contact_id)
        self.assertEqual(quality.recipient_ids.email, self.buyers[1].email, "falls back to the company email")


@tagged("post_install", "-at_install")
class TestPublishing(SupplyNoticeCommon):
    def test_publish_queues_one_email_per_recipient(self):
        notice = self._notice()
        notice.action_find_affected_customers()
        count = len(notice.recipient_ids)
        with self.assertRaises(AccessError):
            notice.with_user(self.sales_user).action_publish()
        mails_before = self.env["mail.mail"].search_count([])
        notice.with_user(self.manager).action_publish()
        self.assertEqual(notice.state, "published")
        mails = self.env["mail.mail"].search([], order="id desc", limit=count)
        self.assertEqual(self.env["mail.mail"].search_count([]) - mails_before, count)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent inline")
        self.assertEqual(set(notice.recipient_ids.mapped("send_status")), {"queued"}, "follows the queued email")
        self.assertIn("/supply-notice/ack/", mails[0].body_html)
        self.assertIn(notice.name, self.buyers[0].message_ids[0].body)

    def test_republishing_does_not_resend(self):
        notice = self._notice()
        notice.action_find_affected_customers()
        notice.with_user(self.manager).action_publish()
        notice.with_user(self.manager).action_close()
        notice.with_user(self.manager).action_reset_draft()
        before = self.env["mail.mail"].search_count([])
        notice.with_user(self.manager).action_publish()
        self.assertEqual(self.env["mail.mail"].search_count([]), before)

    def test_publish_needs_recipients(self):
        with self.assertRaisesRegex(UserError, "no recipient"):
            self._notice().with_user(self.manager).action_publish()

    def test_sales_user_proposes(self):
        notice = self._notice().with_user(self.sales_user)
        notice.action_find_affected_customers()
        self.assertTrue(notice.recipient_ids)

    def test_expiry_cron(self):
        notice = self._notice(date_to=fields.Date.today() + timedelta(days=5))
        notice.action_find_affected_customers()
        notice.with_user(self.manager).action_publish()
        with freeze_time(fields.Date.today() + timedelta(days=6)):
            self.env["crm.supply.notice"]._cron_expire()
        self.assertEqual(notice.state, "expired")

    def test_reminder_once_for_key_accounts(self):
        self.buyers[0].key_account_tier_id = self.env.ref("crm_industrial.crm_key_account_tier_key")
        self.buyers[0].account_owner_id = self.sales_manager
        notice = self._notice(reminder_days=2)
        notice.action_find_affected_customers()
        notice.with_user(self.manager).action_publish()
        reminder = self.env.ref("crm_industrial.mail_activity_type_supply_notice_reminder")
        for days in (1, 3, 4):
            with freeze_time(fields.Date.today() + timedelta(days=days)):
                self.env["crm.supply.notice"]._cron_remind()
        activities = self.env["mail.activity"].search([("activity_type_id", "=", reminder.id)])
        self.assertEqual(activities.mapped("res_id"), [self.buyers[0].id], "key accounts only, once")
        self.assertEqual(activities.user_id, self.sales_manager)

    def test_sale_order_banner_and_customer_form(self):
        notice = self._notice()
        notice.action_find_affected_customers()
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        self.assertFalse(order.supply_notice_warning, "a draft notice is not in effect")
        notice.with_user(self.manager).action_publish()
        order.invalidate_recordset(["supply_notice_warning"])
        self.assertIn(notice.name, order.supply_notice_warning)
        acid_order = self._sold(self.buyers[4], self.acid, days_ago=0, confirm=False)
        self.assertFalse(acid_order.supply_notice_warning)
        self.assertIn(notice, self.buyers[0].active_supply_notice_ids)

    def test_notice_letter(self):
        notice = self._notice(recommended_action="Plan two weeks of stock.")
        notice.action_find_affected_customers()
        recipient = notice.recipient_ids.filtered(lambda r: r.partner_id == self.buyers[0])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "crm_industrial.report_supply_notice_letter", recipient.ids)[0].decode()
        for text in ("Caustic soda allocation", "Plan two weeks of stock.", "Zhang Buyer", notice.name):
            self.assertIn(text, html)

    def test_portal_reads_nothing(self):
        with self.assertRaises(AccessError):
            self.env["crm.supply.notice"].with_user(self.portal_user).search([])
