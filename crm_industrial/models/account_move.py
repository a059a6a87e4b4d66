from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_id = fields.Many2one("crm.complaint", index="btree_not_null", copy=False,
                                   help="The complaint this credit note compensates.")

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._mark_credit_figures_dirty()
        return moves

    def write(self, vals):
        self._mark_credit_figures_dirty()
        result = super().write(vals)
        self._mark_credit_figures_dirty()
        return result

    def unlink(self):
        self._mark_credit_figures_dirty()
        return super().unlink()

    def _mark_credit_figures_dirty(self):
        """Customer documents change their customer's credit figures: refresh them at commit."""
        sales = self.filtered(lambda move: move.is_sale_document(include_receipts=True))
        if sales:
            self.env["crm.customer.credit.stat"]._mark_dirty(
                (move.company_id.id, move.commercial_partner_id.id) for move in sales)
