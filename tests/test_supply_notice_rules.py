"""Who may change what on a supply notice and its recipients; bounded numbers; email status."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_supply_notice import SupplyNoticeCommon

# Context keys the addon or Odoo use internally: none of them may grant anything.
FORGED_CONTEXTS = ({}, {"install_mode": True}, {"tracking_disable": True}, {"supply_notice_ack_urls": {1: "x"}},
                   {"active_test": False}, {"import_file": True})


class SupplyNoticeRulesCommon(SupplyNoticeCommon):
    def _published(self, **values):
        notice = self._notice(**values)
        notice.action_find_affected_customers()
        notice.with_user(self.manager).action_publish()
        return notice


@tagged("post_install", "-at_install")
class TestNoticeState(SupplyNoticeRulesCommon):
    def test_salesperson_cannot_write_state(self):
        notice = self._notice()
        notice.action_find_affected_customers()
        for context in FORGED_CONTEXTS:
            as_sales = notice.with_user(self.sales_user).with_context(**context)
            for state in ("published", "closed", "expired"):
                with self.assertRaises(AccessError, msg=f"{state} with {context}"):
                    as_sales.write({"state": state})
            with self.assertRaises(AccessError):
                as_sales.write({"published_date": "2026-01-01 00:00:00"})
        self.assertEqual(notice.state, "draft")
        self.assertFalse(self.env["mail.mail"].search([("body_html", "ilike", notice.name)]))

    def test_salesperson_cannot_create_published(self):
        for context in FORGED_CONTEXTS:
            with self.assertRaises(AccessError, msg=str(context)):
                self.env["crm.supply.notice"].with_user(self.sales_user).with_context(**context).create({
                    "title": "Forged", "state": "published"})

    def test_manager_changes_state_only_through_actions(self):
        notice = self._published()
        with self.assertRaises(AccessError):
            notice.with_user(self.manager).write({"state": "closed"})
        with self.assertRaises(AccessError):
            notice.with_user(self.sales_user).action_close()
        notice.with_user(self.manager).action_close()
        self.assertEqual(notice.state, "closed")
        with self.assertRaises(AccessError):
            notice.with_user(self.sales_user).action_reset_draft()
        notice.with_user(self.manager).action_reset_draft()
        self.assertEqual(notice.state, "draft")

    def test_sent_content_is_frozen(self):
        notice = self._published()
        self.assertTrue(notice.published_date)
        for user in (self.sales_user, self.manager):
            for values in ({"title": "Changed"}, {"message": "<p>Changed</p>"}, {"recommended_action": "Other"},
                           {"date_to": "2099-01-01"}, {"product_ids": [Command.link(self.acid.id)]}):
                with self.assertRaisesRegex(UserError, "can no longer change", msg=f"{user.login} {values}"):
                    notice.with_user(user).with_context(install_mode=True).write(values)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            notice.with_user(self.manager).update_field_translations("title", {"en_US": "Translated"})
        notice.with_user(self.sales_user).write({"internal_notes": "Still ours to note", "reminder_days": 5})
        self.assertEqual(notice.title, "Caustic soda allocation")
        # Still frozen after going back to draft: the customers have the first version.
        notice.with_user(self.manager).action_close()
        notice.with_user(self.manager).action_reset_draft()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            notice.with_user(self.manager).write({"title": "Changed"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            notice.unlink()

    def test_draft_content_is_editable(self):
        notice = self._notice()
        notice.with_user(self.sales_user).write({"title": "Better title", "message": "<p>Details</p>"})
        self.assertEqual(notice.title, "Better title")


@tagged("post_install", "-at_install")
class TestRecipientGuards(SupplyNoticeRulesCommon):
    def test_salesperson_cannot_forge_acknowledgement(self):
        notice = self._published()
        recipient = notice.recipient_ids[0].with_user(self.sales_user)
        for context in FORGED_CONTEXTS:
            for values in ({"acknowledged": True}, {"acknowledged_on": "2026-01-01 10:00:00"},
                           {"acknowledged_by": "Someone"}, {"reminded": True}, {"sent_date": "2026-01-01"}):
                with self.assertRaises(AccessError, msg=f"{values} {context}"):
                    recipient.with_context(**context).write(values)
        with self.assertRaises(AccessError):
            notice.recipient_ids[0].with_user(self.manager).write({"acknowledged": True})
        self.assertFalse(notice.recipient_ids.filtered("acknowledged"))

    def test_salesperson_cannot_create_acknowledged(self):
        notice = self._notice()
        with self.assertRaises(AccessError):
            self.env["crm.supply.notice.recipient"].with_user(self.sales_user).create({
                "notice_id": notice.id, "partner_id": self.buyers[3].id, "acknowledged": True})

    def test_sent_recipients_are_fixed(self):
        notice = self._published()
        recipient = notice.recipient_ids[0]
        as_sales = recipient.with_user(self.sales_user)
        with self.assertRaisesRegex(UserError, "already received"):
            as_sales.write({"email": "attacker@example.com"})
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            as_sales.unlink()
        with self.assertRaisesRegex(UserError, "only while the notice is a draft"):
            self.env["crm.supply.notice.recipient"].with_user(self.sales_user).create({
                "notice_id": notice.id, "partner_id": self.buyers[3].id})
        with self.assertRaisesRegex(UserError, "already received"):
            recipient.with_user(self.manager).write({"email": "other@example.com"})
        # A contact's new address does not rewrite where the notice went.
        sent_to = recipient.email
        (recipient.contact_id or recipient.partner_id).email = "new@example.com"
        self.assertEqual(recipient.email, sent_to)

    def test_draft_review_by_salesperson(self):
        notice = self._notice()
        notice.with_user(self.sales_user).action_find_affected_customers()
        recipients = notice.recipient_ids.with_user(self.sales_user)
        recipients[0].write({"email": "purchasing@example.com", "channel": "phone"})
        recipients[-1].unlink()
        self.env["crm.supply.notice.recipient"].with_user(self.sales_user).create({
            "notice_id": notice.id, "partner_id": self.buyers[3].id})

    def test_company_and_rule(self):
        other_company = self.env["res.company"].create({"name": "Sister Chemicals"})
        notice = self._notice(company_id=other_company.id)
        recipient = self.env["crm.supply.notice.recipient"].create({
            "notice_id": notice.id, "partner_id": self.buyers[0].id})
        self.assertEqual(recipient.company_id, other_company)
        rule = self.env.ref("crm_industrial.crm_supply_notice_recipient_rule_company")
        self.assertEqual(rule.model_id.model, "crm.supply.notice.recipient")
        self.assertFalse(self.env["crm.supply.notice.recipient"].with_user(self.sales_user).search(
            [("id", "=", recipient.id)]), "another company's recipients are hidden")


@tagged("post_install", "-at_install")
class TestNumberBounds(SupplyNoticeRulesCommon):
    def test_days_are_bounded(self):
        for values in ({"reminder_days": 3_000_000}, {"reminder_days": -1}, {"lookback_days": 3_000_000},
                       {"lookback_days": -5}):
            with self.assertRaisesRegex(ValidationError, "between 0 and", msg=str(values)):
                self._notice(**values)
        notice = self._notice(reminder_days=365, lookback_days=3650)
        with self.assertRaisesRegex(ValidationError, "between 0 and"):
            notice.reminder_days = 366


@tagged("post_install", "-at_install")
class TestSendStatus(SupplyNoticeRulesCommon):
    def test_status_follows_the_email_and_resend(self):
        notice = self._published()
        recipient = notice.recipient_ids[0]
        mail = recipient.sudo().mail_id
        self.assertEqual((mail.state, recipient.send_status), ("outgoing", "queued"))
        mail.write({"state": "exception", "failure_reason": "Connection refused"})
        self.assertEqual(recipient.send_status, "failed")
        self.assertEqual(recipient.send_error, "Connection refused")
        with self.assertRaises(AccessError):
            recipient.with_user(self.sales_user).action_resend()
        with self.assertRaises(AccessError):
            notice.with_user(self.sales_user).action_resend_failed()
        # The notice manager corrects the address, then sends again.
        recipient.with_user(self.manager).write({"email": "fixed@example.com"})
        recipient.with_user(self.manager).action_resend()
        new_mail = recipient.sudo().mail_id
        self.assertNotEqual(new_mail, mail)
        self.assertEqual(mail.state, "cancel", "the failed email is not retried next to the new one")
        self.assertEqual((new_mail.state, new_mail.email_to), ("outgoing", "fixed@example.com"))
        self.assertEqual(recipient.send_status, "queued")
        new_mail.write({"state": "sent"})
        self.assertEqual(recipient.send_status, "sent")
        with self.assertRaisesRegex(UserError, "did not fail"):
            recipient.with_user(self.manager).action_resend()

    def test_failure_explained_in_plain_words(self):
        """A failed email says why in words the user reads (translated), the mail server's own text
        kept apart as technical details."""
        notice = self._published()
        recipient = notice.recipient_ids[0]
        mail = recipient.sudo().mail_id
        self.env["ir.mail_server"].sudo().search([]).active = False
        # mail.mail.send() as Odoo runs it when the outgoing mail server refuses the connection
        with patch.object(type(self.env["ir.mail_server"]), "connect",
                          side_effect=ConnectionRefusedError(111, "Connection refused")):
            mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertIn("Connection refused", recipient.send_error, "the technical text stays")
        self.assertEqual((recipient.send_status, recipient.send_failure), ("failed", "no_server"),
                         "no server set up: Odoo tried this machine's")
        self.env["ir.mail_server"].sudo().create({"name": "Relay", "smtp_host": "smtp.example.com"})
        mail.write({"failure_reason": "[Errno 111] Connection refused"})
        self.assertEqual(recipient.send_failure, "server_unreachable")
        mail.write({"failure_type": "unknown", "failure_reason": "{'x@example.com': (550, b'5.1.1 User unknown')}"})
        self.assertEqual(recipient.send_failure, "recipient_refused")
        mail.write({"failure_type": "mail_email_invalid", "failure_reason": "Invalid email"})
        self.assertEqual(recipient.send_failure, "invalid_address")
        mail.write({"failure_type": "unknown", "failure_reason": "Something new"})
        self.assertEqual(recipient.send_failure, "other")
        labels = dict(recipient._fields["send_failure"]._description_selection(self.env))
        self.assertEqual(labels["no_server"], "No outgoing mail server is set up")
        # what the recipients' list shows: the explanation, the technical text a column away
        form = self.env["crm.supply.notice"].get_view(view_type="form")["arch"]
        self.assertIn('name="send_failure"', form)

    def test_no_address_fails(self):
        customer = self.env["res.partner"].create({"name": "No Mail Co", "is_company": True})
        notice = self._notice(notice_type="overstock")
        notice.recipient_ids = [Command.create({"partner_id": customer.id})]
        notice.with_user(self.manager).action_publish()
        self.assertEqual(notice.recipient_ids.send_status, "failed")
        self.assertIn("No email address", notice.recipient_ids.send_error)
        self.assertEqual(notice.recipient_ids.send_failure, "missing_address")


@tagged("post_install", "-at_install")
class TestCompanyDay(SupplyNoticeRulesCommon):
    def test_a_notice_starts_on_the_companys_date_whatever_the_users_time_zone(self):
        """Near midnight, a manager ahead of the company's time zone publishes a notice that takes
        effect at once: its default start is the company's date, the same day the banner and the
        expiry job use."""
        self.env.company.partner_id.tz = "Europe/London"
        self.manager.tz = "Asia/Shanghai"  # already tomorrow at 23:30 in London
        with freeze_time("2026-11-23 23:30:00"):
            notice = self.env["crm.supply.notice"].with_user(self.manager).create({
                "title": "Caustic soda allocation", "message": "Allocation by contract volume.",
                "product_ids": [Command.set(self.soda.ids)], "date_to": "2026-11-23"})
            self.assertEqual(str(notice.date_from), "2026-11-23")
            notice.action_find_affected_customers()
            notice.with_user(self.manager).action_publish()
            self.assertTrue(notice._is_in_effect())
            order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
            self.assertIn(notice.name, order.supply_notice_warning)
            self.env["crm.supply.notice"]._cron_expire()
            self.assertEqual(notice.state, "published", "still its last day in London")
        with freeze_time("2026-11-24 00:30:00"):
            self.env["crm.supply.notice"]._cron_expire()
            self.assertEqual(notice.state, "expired")
