"""What the benchmarks share: an Odoo environment on the benchmark database, and timing."""

import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api


@contextmanager
def odoo_env(conf, db):
    """A superuser environment on the benchmark database; commit is left to the caller."""
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def timed(cr, function):
    """(seconds, SQL queries, result) of one call."""
    queries, start = cr.sql_log_count, time.time()
    result = function()
    return time.time() - start, cr.sql_log_count - queries, result
