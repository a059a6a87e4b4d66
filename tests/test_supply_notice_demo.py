"""The demo story's supply-warning notices (the test database is installed with demo data)."""

from datetime import timedelta

from odoo.tests import tagged

from .common import CrmIndustrialCommon


@tagged("post_install", "-at_install")
class TestSupplyNoticeDemo(CrmIndustrialCommon):
    def _notice(self, xmlid):
        return self.env.ref(f"crm_industrial.{xmlid}")

    def _check_content(self, notice):
        self.assertTrue(notice.title and notice.message and notice.recommended_action, notice.name)
        self.assertTrue(notice.product_ids, notice.name)
        self.assertNotEqual(notice.name, "/")

    def test_published_shortage_partly_acknowledged(self):
        notice = self._notice("supply_notice_caustic_soda_shortage_demo")
        self._check_content(notice)
        self.assertEqual((notice.notice_type, notice.state), ("shortage", "published"))
        self.assertTrue(notice._is_in_effect())
        self.assertEqual(notice.product_ids, self.env.ref("crm_industrial.product_caustic_soda_32_demo")
                         | self.env.ref("crm_industrial.product_caustic_soda_flakes_demo"))
        recipients = notice.recipient_ids
        self.assertGreaterEqual(len(recipients), 3)
        # The recipients are the customers found from their orders, each addressed by email.
        self.assertEqual(sorted(recipients.partner_id.ids), notice._affected_customer_ids())
        self.assertIn(self.env.ref("crm_industrial.partner_haiyang_chemical_demo"), recipients.partner_id)
        self.assertNotIn(self.env.ref("crm_industrial.partner_power_plant_demo"), recipients.partner_id)
        self.assertTrue(all(recipients.mapped("email")))
        mails = recipients.sudo().mail_id
        self.assertEqual(len(mails), len(recipients))
        self.assertTrue(notice.published_date)
        # Some acknowledged, some not.
        acknowledged = recipients.filtered("acknowledged")
        # The status follows each real email: the acknowledged customers received theirs (sent by
        # the mail server), the others are still in the mail queue the demo database has not run.
        self.assertEqual(set(acknowledged.mapped("send_status")), {"sent"})
        self.assertEqual(set(acknowledged.sudo().mail_id.mapped("state")), {"sent"})
        self.assertEqual(set((recipients - acknowledged).mapped("send_status")), {"queued"})
        self.assertEqual(set((recipients - acknowledged).sudo().mail_id.mapped("state")), {"outgoing"})
        self.assertEqual(len(acknowledged), 2)
        self.assertTrue(recipients - acknowledged)
        self.assertEqual(notice.acknowledged_count, 2)
        self.assertEqual(acknowledged.partner_id, self.env.ref("crm_industrial.partner_haiyang_chemical_demo")
                         | self.env.ref("crm_industrial.partner_water_treatment_demo"))
        for recipient in acknowledged:
            self.assertTrue(recipient.acknowledged_on and recipient.acknowledged_by)
        self.assertIn("Chen Jing", acknowledged.mapped("acknowledged_by"))

    def test_quality_incident_in_draft_with_proposed_recipients(self):
        notice = self._notice("supply_notice_sulphuric_acid_iron_demo")
        self._check_content(notice)
        self.assertEqual((notice.notice_type, notice.state), ("quality", "draft"))
        self.assertEqual(notice.product_ids, self.env.ref("crm_industrial.product_sulphuric_acid_98_demo"))
        recipients = notice.recipient_ids
        self.assertTrue(recipients)
        self.assertIn(self.env.ref("crm_industrial.partner_fertiliser_demo"), recipients.partner_id)
        self.assertEqual(set(recipients.mapped("send_status")), {"pending"})
        self.assertFalse(recipients.filtered("acknowledged"))
        self.assertFalse(recipients.sudo().mail_id)
        self.assertFalse(notice.published_date)

    def test_price_change_expired(self):
        notice = self._notice("supply_notice_pvc_resin_price_demo")
        self._check_content(notice)
        self.assertEqual((notice.notice_type, notice.state), ("price", "expired"))
        # the demo dates its notices from the (UTC) day it was loaded, which a test run may follow by a day
        today = notice.create_date.date()
        self.assertEqual(notice.date_from, today - timedelta(days=60))
        self.assertEqual(notice.date_to, today - timedelta(days=20))
        self.assertFalse(notice._is_in_effect())
        self.assertIn(self.env.ref("crm_industrial.partner_pvc_pipes_demo"), notice.recipient_ids.partner_id)
        self.assertEqual(set(notice.recipient_ids.mapped("send_status")), {"queued"})

    def test_in_effect_notices(self):
        in_effect = self.env["crm.supply.notice"].search(self.env["crm.supply.notice"]._in_effect_domain())
        self.assertIn(self._notice("supply_notice_caustic_soda_shortage_demo"), in_effect)
        self.assertNotIn(self._notice("supply_notice_pvc_resin_price_demo"), in_effect)
        self.assertNotIn(self._notice("supply_notice_sulphuric_acid_iron_demo"), in_effect)

    def test_banner_on_open_quotation_not_on_invoiced_orders(self):
        notice = self._notice("supply_notice_caustic_soda_shortage_demo")
        quotation = self.env.ref("crm_industrial.sale_order_caustic_soda_quotation_demo")
        self.assertEqual(quotation.state, "draft")
        self.assertIn(notice.title, quotation.supply_notice_warning)
        products = notice.product_ids
        invoiced = self.env["sale.order"].search([("state", "=", "sale"), ("invoice_status", "=", "invoiced"),
                                                  ("order_line.product_id", "in", products.ids)])
        self.assertTrue(invoiced, "the story has past caustic soda orders, some a year old")
        self.assertFalse(any(invoiced.mapped("supply_notice_warning")), "done orders show no banner")

    def test_no_recipient_both_acknowledged_and_failed(self):
        """A status must be true: only a customer whose email was delivered can acknowledge it."""
        recipients = self.env["crm.supply.notice.recipient"].search([])
        self.assertTrue(recipients.filtered("acknowledged"))
        for recipient in recipients.filtered("acknowledged"):
            self.assertEqual(recipient.send_status, "sent", recipient.partner_id.name)
            self.assertFalse(recipient.send_error, recipient.partner_id.name)
        # Without a mail server, the queue fails what it still holds (as on a demo machine):
        # the others fail with the reason, the acknowledged ones keep their delivered email.
        queued = recipients.sudo().mail_id.filtered(lambda mail: mail.state == "outgoing")
        self.assertTrue(queued)
        queued.write({"state": "exception", "failure_reason": "Connection refused"})
        failed = recipients.filtered(lambda recipient: recipient.send_status == "failed")
        self.assertTrue(failed)
        self.assertFalse(failed.filtered("acknowledged"))
        self.assertEqual(set(failed.mapped("send_error")), {"Connection refused"})
