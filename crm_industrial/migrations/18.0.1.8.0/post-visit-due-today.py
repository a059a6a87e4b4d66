"""Visit plan, 18.0.1.8.0: a visit due today is due, not overdue.

Until now a customer never visited was due today and overdue at once (0 days). The plan is
recomputed for every company with the new rule, as the daily job would do, so that the list
is right before the job's next run. Customers whose owner already has a reminder keep it and
get no second one.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.visit.plan"]._cron_refresh()
