"""Long work as resumable background batches (issue 15): publishing a notice, the complaint
escalation scan and the first tier classification.

Tests cannot commit: they call the batch methods in a loop, as Odoo's cron runner calls the job
(one batch per call, a commit after each), and simulate a worker dying before its commit by
rolling a batch back to a savepoint."""

import contextlib
import time
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.crm_industrial.models import ir_cron as batch_budget

from .test_complaint import ComplaintCommon
from .test_key_account import KeyAccountCommon
from .test_supply_notice import SupplyNoticeCommon

INLINE_PARAM = "crm_industrial.notice_publish_inline_limit"
BATCH_PARAM = "crm_industrial.notice_publish_batch_size"
ESCALATION_PARAM = "crm_industrial.complaint_escalation_batch_size"


class WorkerDied(Exception):
    """A cron worker killed before its batch committed."""


def _run_job_once(cron):
    """One call of a cron job's code, as Odoo's runner makes it (with its progress record),
    without the runner's commits; returns the progress it reported."""
    cron, progress = cron._add_progress(timed_out_counter=0)
    cron.ir_actions_server_id.with_context(ir_cron_progress_id=progress.id).run()
    return progress


@tagged("post_install", "-at_install")
class TestPublishInBatches(SupplyNoticeCommon):
    def setUp(self):
        super().setUp()
        self.Notice = self.env["crm.supply.notice"]
        self.env["ir.config_parameter"].sudo().set_param(INLINE_PARAM, "3")
        self.last_mail_id = self.env["mail.mail"].search([], order="id desc", limit=1).id or 0

    def _notice_to(self, count, without_email=0):
        partners = self.env["res.partner"].create(
            [{"name": f"Batch Customer {n}", "is_company": True, "email": f"buyer{n}@batch{n}.example.com"}
             for n in range(count)]
            + [{"name": f"Unreachable Customer {n}", "is_company": True} for n in range(without_email)])
        notice = self._notice()
        self.env["crm.supply.notice.recipient"].create(
            [{"notice_id": notice.id, "partner_id": partner.id} for partner in partners])
        return notice

    def _new_mails(self):
        return self.env["mail.mail"].search([("id", ">", self.last_mail_id)])

    def test_click_returns_before_queuing_a_large_notice(self):
        notice = self._notice_to(7)
        cron = self.env.ref("crm_industrial.ir_cron_supply_notice_publish")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        notice.with_user(self.manager).action_publish()
        self.assertEqual(notice.state, "publishing")
        self.assertFalse(self._new_mails(), "the click queues nothing above the inline limit")
        self.assertEqual(set(notice.recipient_ids.mapped("send_status")), {"pending"})
        self.assertEqual((notice.publish_done, notice.publish_total), (0, 7))
        self.assertEqual(notice.publish_progress, "0 / 7 queued")
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1,
                         "the publishing job is woken up")
        self.assertTrue(notice.published_date, "what is sent is frozen from the click")
        with self.assertRaisesRegex(UserError, "can no longer change"):
            notice.with_user(self.manager).title = "Another title"
        with self.assertRaisesRegex(UserError, "not published"):
            notice.with_user(self.manager).action_close()
        with self.assertRaises(AccessError):
            notice.with_user(self.manager).publish_done = 7
        with self.assertRaisesRegex(UserError, "not a draft"):
            notice.with_user(self.manager).action_publish()

    def test_small_notice_is_published_by_the_click(self):
        notice = self._notice_to(3)
        notice.with_user(self.manager).action_publish()
        self.assertEqual(notice.state, "published")
        self.assertEqual(len(self._new_mails()), 3)
        self.assertEqual(notice.publish_progress, "3 / 3 queued")

    def test_batches_show_progress_then_published(self):
        notice = self._notice_to(7)
        notice.with_user(self.manager).action_publish()
        self.assertEqual(self.Notice._publish_batch(limit=3), (3, 4))
        self.assertEqual(notice.state, "publishing")
        self.assertEqual(notice.publish_progress, "3 / 7 queued")
        self.assertEqual(len(self._new_mails()), 3)
        self.assertEqual(self.Notice._publish_batch(limit=3), (3, 1))
        self.assertEqual(self.Notice._publish_batch(limit=3), (1, 0))
        self.assertEqual(notice.state, "published")
        self.assertEqual(notice.publish_progress, "7 / 7 queued")
        mails = self._new_mails()
        self.assertEqual(len(mails), 7)
        self.assertEqual(notice.recipient_ids.sudo().mail_id, mails, "one email per recipient")
        self.assertEqual(set(notice.recipient_ids.mapped("send_status")), {"queued"})
        for partner in notice.recipient_ids.partner_id:
            self.assertEqual(len(partner.message_ids.filtered(lambda message: notice.name in message.body)), 1)
        self.assertEqual(self.Notice._publish_batch(limit=3), (0, 0), "nothing is sent twice")
        self.assertEqual(self._new_mails(), mails)

    def test_progress_figures_are_formatted(self):
        notice = self._notice_to(1)
        notice._write_progress(total=5000, done=1250)
        self.assertEqual(notice.publish_progress, "1,250 / 5,000 queued")

    def test_worker_dying_mid_batch_sends_nothing_twice(self):
        notice = self._notice_to(6, without_email=1)
        notice.with_user(self.manager).action_publish()
        self.assertEqual(self.Notice._publish_batch(limit=2), (2, 5))
        with contextlib.suppress(WorkerDied), self.env.cr.savepoint():
            self.Notice._publish_batch(limit=2)
            self.assertEqual(len(self._new_mails()), 4)
            raise WorkerDied  # before the runner's commit: the batch is lost whole
        self.env.invalidate_all(flush=False)
        self.assertEqual(len(self._new_mails()), 2)
        self.assertEqual(notice.publish_done, 2, "the lost batch is not counted")
        while self.Notice._publish_batch(limit=2)[1]:
            pass
        self.assertEqual(notice.state, "published")
        mails = self._new_mails()
        emailed = notice.recipient_ids.filtered("email")
        self.assertEqual(len(mails), 6)
        self.assertEqual(emailed.sudo().mail_id, mails, "every recipient got exactly one email")
        self.assertEqual((notice.recipient_ids - emailed).send_status, "failed")
        self.assertEqual(notice.publish_progress, "7 / 7 queued")

    def test_cron_reports_progress_per_batch(self):
        self.env["ir.config_parameter"].sudo().set_param(BATCH_PARAM, "2")
        notice = self._notice_to(5)
        notice.with_user(self.manager).action_publish()
        cron = self.env.ref("crm_industrial.ir_cron_supply_notice_publish")
        progress = _run_job_once(cron)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual(notice.publish_done, 2)
        _run_job_once(cron)
        progress = _run_job_once(cron)
        self.assertEqual((progress.done, progress.remaining), (1, 0), "done: the runner stops calling")
        self.assertEqual(notice.state, "published")

    def test_a_long_worker_run_hands_the_rest_to_the_next_run(self):
        """Odoo's runner calls a job again at once while it reports work left, and kills a prefork
        cron worker busy for longer than --limit-time-real: past the worker's budget, the job ends
        its run after the batch and wakes itself for the next run (on any node) instead."""
        self.env["ir.config_parameter"].sudo().set_param(BATCH_PARAM, "2")
        notice = self._notice_to(5)
        notice.with_user(self.manager).action_publish()
        cron = self.env.ref("crm_industrial.ir_cron_supply_notice_publish").with_context(
            cron_id=self.env.ref("crm_industrial.ir_cron_supply_notice_publish").id)  # as the runner calls it
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        worker = batch_budget._worker
        worker.run_start = time.monotonic()  # the worker's run just began: the runner may call again
        progress = _run_job_once(cron)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1,
                         "the next run is woken, whenever this one ends")
        worker.run_start = time.monotonic() - batch_budget.BATCH_RUN_SECONDS_DEFAULT  # busy for the whole budget
        try:
            progress = _run_job_once(cron)
        finally:
            del worker.run_start
        self.assertEqual(notice.publish_done, 4, "the batch itself is done")
        self.assertEqual((progress.done, progress.remaining), (0, 0), "nothing reported: the runner ends the run")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 2, "the next run is woken")
        self.assertEqual(notice.state, "publishing")

    def test_counts_cost_the_same_whatever_the_recipients(self):
        """The notice list shows each notice's recipients and acknowledgements: one grouped query,
        not a read of every recipient (a notice may have 20,000)."""
        small, large = self._notice_to(2), self._notice_to(40)
        large.recipient_ids[:3].sudo().write({"acknowledged": True})
        costs = []
        for notice in (small, large):
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=1):
                costs.append((notice.recipient_count, notice.acknowledged_count))
        self.assertEqual(costs, [(2, 0), (40, 3)])

    def test_phone_recipients_do_not_hold_publishing(self):
        notice = self._notice_to(5)
        notice.recipient_ids[:2].channel = "phone"
        notice.with_user(self.manager).action_publish()
        self.assertEqual(notice.publish_total, 3)
        self.assertEqual(notice.state, "published", "three emails: within the inline limit")
        self.assertEqual(notice.recipient_ids[:2].mapped("send_status"), ["pending", "pending"])


@tagged("post_install", "-at_install")
class TestEscalationInBatches(ComplaintCommon):
    def setUp(self):
        super().setUp()
        self.Complaint = self.env["crm.complaint"]
        self.breach_type = self.env.ref("crm_industrial.mail_activity_type_complaint_breach")
        self.risk_type = self.env.ref("crm_industrial.mail_activity_type_complaint_at_risk")
        # Cases of other tests or of the demo count as handled already: only these are counted.
        # (as the superuser, like the job: users cannot set these flags)
        handled = self.Complaint.sudo()
        handled.search([("escalated", "=", False)]).write({"escalated": True, "at_risk_notified": True})
        handled.search([("at_risk_notified", "=", False)]).write({"at_risk_notified": True})
        # On 10 November at 9:00: five cases breached since the 2nd, two at risk since 6:15.
        self.breached = self.Complaint.create([{
            "subject": f"Breached {n}", "partner_id": self.customer.id, "user_id": self.quality.id,
            "severity": "critical", "date_received": datetime(2026, 11, 2, 8, 0)} for n in range(5)])
        self.at_risk = self.Complaint.create([{
            "subject": f"At risk {n}", "partner_id": self.customer.id, "user_id": self.quality.id,
            "severity": "critical", "date_received": datetime(2026, 11, 9, 13, 0)} for n in range(2)])

    def _activities(self, cases, activity_type):
        return cases.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def _check_each_once(self):
        for case in self.breached:
            self.assertTrue(case.escalated)
            self.assertEqual(len(self._activities(case, self.breach_type)), 2, "the responsible and the manager")
        for case in self.at_risk:
            self.assertTrue(case.at_risk_notified)
            self.assertEqual(len(self._activities(case, self.risk_type)), 1)

    @freeze_time(datetime(2026, 11, 10, 9, 0))
    def test_batches_breached_first_each_case_once(self):
        self.assertEqual(self.Complaint._escalate_batch(limit=3), (3, 4))
        self.assertEqual(len(self.breached.filtered("escalated")), 3)
        self.assertFalse(self._activities(self.at_risk, self.risk_type))
        self.assertEqual(self.Complaint._escalate_batch(limit=3), (3, 1))
        self.assertEqual(self.Complaint._escalate_batch(limit=3), (1, 0))
        self._check_each_once()
        self.assertEqual(self.Complaint._escalate_batch(limit=3), (0, 0), "an escalation is not redone")
        self._check_each_once()

    @freeze_time(datetime(2026, 11, 10, 9, 0))
    def test_worker_dying_mid_batch_escalates_once(self):
        self.Complaint._escalate_batch(limit=2)
        with contextlib.suppress(WorkerDied), self.env.cr.savepoint():
            self.Complaint._escalate_batch(limit=4)
            raise WorkerDied
        self.env.invalidate_all(flush=False)
        self.assertEqual(len(self.breached.filtered("escalated")), 2, "the lost batch is redone")
        while self.Complaint._escalate_batch(limit=2)[1]:
            pass
        self._check_each_once()

    @freeze_time(datetime(2026, 11, 10, 9, 0))
    def test_cron_reports_progress_per_batch(self):
        self.env["ir.config_parameter"].sudo().set_param(ESCALATION_PARAM, "4")
        cron = self.env.ref("crm_industrial.ir_cron_complaint_escalation")
        progress = _run_job_once(cron)
        self.assertEqual((progress.done, progress.remaining), (4, 3))
        progress = _run_job_once(cron)
        self.assertEqual((progress.done, progress.remaining), (3, 0))
        self._check_each_once()


@tagged("post_install", "-at_install")
class TestFirstClassificationInBulk(KeyAccountCommon):
    def _first_classification(self, count):
        """(queries, customers) of the recompute that gives `count` new customers their first tier.
        Every customer invoices the same amount: all tie, so all get the top tier and nobody else
        changes tier."""
        customers = self.env["res.partner"].create([
            {"name": f"First Tier {count}-{n}", "is_company": True, "user_id": self.sales_user.id}
            for n in range(count)])
        for customer in customers:
            self._invoice(customer, 1000)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Stat._recompute()
        return self.env.cr.sql_log_count - before, customers

    def test_query_count_does_not_grow_per_customer(self):
        self._first_classification(2)  # warms the caches a running server has
        few, _customers = self._first_classification(3)
        many, customers = self._first_classification(15)
        self.assertEqual(many, few)
        for customer in customers:
            self.assertEqual(customer.key_account_tier_id, self.strategic)
            history = customer.tier_history_ids
            self.assertEqual(len(history), 1)
            self.assertEqual((history.old_tier_id, history.new_tier_id, history.automatic),
                             (self.env["crm.key.account.tier"], self.strategic, True))
            notes = customer.message_ids.filtered(lambda message: "Strategic" in (message.body or ""))
            self.assertEqual(len(notes), 1, "one chatter note per customer")

    def test_order_tier_job_fills_in_batches(self):
        Partner = self.env["res.partner"]
        Partner._fill_order_tiers(1_000_000)  # orders of other tests or of the demo: not counted here
        alpha = Partner.create({"name": "Orders Before Tier", "is_company": True})
        orders = self.env["sale.order"].concat(*(self._order(alpha, days_ago) for days_ago in (40, 30, 20)))
        self.assertFalse(orders.key_account_tier_id)
        self._invoice(alpha, 1000)
        self.Stat._recompute()
        self.assertEqual(orders.key_account_tier_id, self.strategic, "a few orders: filled by the change")
        # Orders left for the job (beyond the share the tier change fills itself).
        orders.flush_recordset()
        self.env.cr.execute("UPDATE sale_order SET key_account_tier_id = NULL WHERE id = ANY(%s)", [orders.ids])
        orders.invalidate_recordset(["key_account_tier_id"])
        self.assertEqual(Partner._fill_order_tiers(2), 2)
        progress = _run_job_once(self.env.ref("crm_industrial.ir_cron_fill_order_tiers"))
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(Partner._fill_order_tiers(2), 0, "an order is filled once")
        self.assertEqual(orders.key_account_tier_id, self.strategic)
