from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _mark_credit_figures_dirty(self):
        """Reconciling or unreconciling these items changes their customers' credit figures."""
        self.env["crm.customer.credit.stat"]._mark_dirty(
            (line.company_id.id, line.partner_id.commercial_partner_id.id) for line in self if line.partner_id)
