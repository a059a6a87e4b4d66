from odoo import api, models


class AccountPartialReconcile(models.Model):
    """Payments, credit notes and their undoing change what customers owe and how late they pay."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        (partials.debit_move_id | partials.credit_move_id)._mark_credit_figures_dirty()
        return partials

    def unlink(self):
        (self.debit_move_id | self.credit_move_id)._mark_credit_figures_dirty()
        return super().unlink()
