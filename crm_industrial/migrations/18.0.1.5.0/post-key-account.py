"""Key accounts, 18.0.1.5.0: every sales order gets the customer's tier at its date.

Orders made before the first classification had no tier stored; the tier on an order is now
the customer's tier for the order's company at the order's date (from the tier history).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)
BATCH = 5000


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Order = env["sale.order"].with_context(active_test=False)
    field = Order._fields["key_account_tier_id"]
    order_ids = Order.search([], order="id").ids
    for start in range(0, len(order_ids), BATCH):
        orders = Order.browse(order_ids[start:start + BATCH])
        env.add_to_compute(field, orders)
        env.flush_all()
        env.invalidate_all()
    _logger.info("Key-account tier set on %s sales orders at their dates", len(order_ids))
