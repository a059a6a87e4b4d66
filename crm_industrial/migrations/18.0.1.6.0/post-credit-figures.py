"""Credit figures, 18.0.1.6.0: a database upgraded from an earlier version gets its customers'
receivables, payment behaviour and silent-dissatisfaction signal at once, not the next night.

The company thresholds are new nullable columns: empty means the default (see
res.company._credit_silent_delay_days), so old companies need no value.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.customer.credit.stat"]._cron_refresh()
