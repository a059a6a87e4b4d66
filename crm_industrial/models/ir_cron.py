"""Background batches that leave the cron worker in time (README, "Background work")."""

import threading
import time

from odoo import api, models

# Odoo's cron runner calls a job again and again (up to 10 times) while it reports work remaining, and
# runs every ready job in one go; a prefork cron worker busy for longer than --limit-time-real-cron
# (by default --limit-time-real, 120 s) is killed and its batch rolled back, which Odoo counts towards
# switching the job off. After this many seconds of work in a row, a job of this addon hands what
# remains to its next run, woken at once on any node, and lets the worker go.
BATCH_RUN_SECONDS_PARAM, BATCH_RUN_SECONDS_DEFAULT = "crm_industrial.batch_run_seconds", 40
# Job calls less than this many seconds apart belong to one run of the worker.
SAME_RUN_GAP = 2.0
_worker = threading.local()


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _callback(self, cron_name, server_action_id):
        """Keeps when this worker's run began: every job counts, this addon's or not."""
        start = time.monotonic()
        if start - getattr(_worker, "last_end", float("-inf")) > SAME_RUN_GAP:
            _worker.run_start = start
        try:
            return super()._callback(cron_name, server_action_id)
        finally:
            _worker.last_end = time.monotonic()

    @api.model
    def _report_batch(self, done, remaining):
        """Report a batch's progress to Odoo's runner, which calls the job again at once while some
        remains (up to 10 times a run). While some remains, the job's next run is woken too: Odoo
        itself reschedules it without waking any cron worker, which would then wait for its next
        poll (a minute or more). Past the worker's time budget, report nothing: that ends this run."""
        cron = self.browse(self.env.context.get("cron_id"))
        if remaining and cron:
            # sudo: the job's user may not write scheduled actions; this only wakes the running job
            cron.sudo()._trigger()
            started = getattr(_worker, "run_start", None)
            if started is not None and time.monotonic() - started >= self._batch_run_seconds():
                return
        self._notify_progress(done=done, remaining=remaining)

    @api.model
    def _batch_run_seconds(self):
        # sudo: a system parameter (administrators' record) giving one number
        value = self.env["ir.config_parameter"].sudo().get_param(BATCH_RUN_SECONDS_PARAM)
        try:
            return max(1, int(value)) if value else BATCH_RUN_SECONDS_DEFAULT
        except ValueError:
            return BATCH_RUN_SECONDS_DEFAULT
