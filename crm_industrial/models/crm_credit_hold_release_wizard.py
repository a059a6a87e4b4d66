from odoo import fields, models


class CrmCreditHoldReleaseWizard(models.TransientModel):
    """Asks the credit controller why the order is released and for how long."""

    _name = "crm.credit.hold.release.wizard"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Release a Credit Hold"

    hold_id = fields.Many2one("crm.credit.hold", required=True, ondelete="cascade")
    order_id = fields.Many2one(related="hold_id.order_id")
    rules = fields.Text(related="hold_id.rules")
    amount = fields.Monetary(related="hold_id.amount", currency_field="currency_id")
    currency_id = fields.Many2one(related="hold_id.currency_id")
    reason = fields.Text(required=True, help="Why the order may go ahead despite the rules.")
    valid_until = fields.Date(help="Empty: no end date. After it, the order is held again.")

    def action_release(self):
        self._ensure_one_record()
        self.hold_id._release(self.reason, self.valid_until)
        return {"type": "ir.actions.act_window_close"}
