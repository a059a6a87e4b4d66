from odoo import api, fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    is_executive_visit = fields.Boolean(
        "Executive Visit", help="One of our executives meets the customer: counts for the executive visits "
        "its tier plans.")

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._refresh_visit_plans()
        return events

    def write(self, vals):
        before = self.partner_ids
        result = super().write(vals)
        if {"start", "stop", "partner_ids", "active", "is_executive_visit"} & set(vals):
            self._refresh_visit_plans(before)
        return result

    def _refresh_visit_plans(self, extra_partners=None):
        """The customers met in these meetings get their visit plan recomputed now."""
        partners = (self.partner_ids | (extra_partners or self.env["res.partner"])).commercial_partner_id
        if partners:
            # sudo: the plan is derived data, refreshed for whoever records the meeting
            self.env["crm.visit.plan"].sudo()._refresh(self.env.company, partners)
