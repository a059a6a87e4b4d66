from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_id = fields.Many2one("crm.complaint", index="btree_not_null", copy=False,
                                   help="The complaint this credit note compensates.")
