"""Order-hold policy on existing companies: the defaults the new columns would have had.

New columns get the field default from the ORM on upgrade; this fills whatever stayed empty
(companies created meanwhile by code unaware of the addon), so a limit of 0 is never
mistaken for "not set".
"""

from odoo.tools import SQL

DEFAULTS = {
    "credit_hold_over_limit": "warn",
    "credit_hold_overdue_amount": "off",
    "credit_hold_overdue_amount_limit": 0.0,
    "credit_hold_overdue_days": "warn",
    "credit_hold_overdue_days_limit": 60,
    "credit_hold_rating": "hold",
    "credit_hold_rating_grade": "D",
    "credit_hold_review_expired": "warn",
}


def migrate(cr, version):
    if not version:
        return
    for column, value in DEFAULTS.items():
        cr.execute(SQL("UPDATE res_company SET %s = %s WHERE %s IS NULL",
                       SQL.identifier(column), value, SQL.identifier(column)))
