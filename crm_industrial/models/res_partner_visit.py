from odoo import fields, models

from .crm_visit_plan import LAST_VISIT_HELP

INTERNAL = "base.group_user"
# the visit plan's values a customer shows: read with its key-account figures, in one query
# (res_partner_key_account.py, _compute_key_account_figures)
VISIT_COLUMNS = ("last_visit_date", "next_visit_due", "visit_overdue", "executive_visit_due")


def _visit_field(field_class, name, string, **kwargs):
    """A read-only partner field showing the current company's visit plan value `name`, searchable."""

    def search(records, operator, value):
        plans = records.env["crm.visit.plan"]._search([
            ("company_id", "=", records.env.company.id), (name, operator, value)])
        return [("id", "in", plans.subselect("partner_id"))]

    return field_class(string, compute="_compute_key_account_figures", search=search, groups=INTERNAL, **kwargs)


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The customer's visit plan for the current company (crm.visit.plan), on its form."""

    _inherit = "res.partner"

    last_visit_date = _visit_field(fields.Date, "last_visit_date", "Last Visit", help=LAST_VISIT_HELP)
    next_visit_due = _visit_field(fields.Date, "next_visit_due", "Next Visit Due",
                                  help="Last visit plus the tier's visit frequency.")
    visit_overdue = _visit_field(fields.Boolean, "visit_overdue", "Visit Overdue")
    executive_visit_due = _visit_field(fields.Boolean, "executive_visit_due", "Executive Visit Due")
