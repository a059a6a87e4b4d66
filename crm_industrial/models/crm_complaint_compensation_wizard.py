from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

# The largest compensation anyone may type, in the company currency, when no invoice caps it.
MAX_COMPENSATION = 1e9


class CrmComplaintCompensationWizard(models.TransientModel):
    """Economic compensation for a complaint, as a draft customer credit note."""

    _name = "crm.complaint.compensation.wizard"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Complaint Compensation"

    complaint_id = fields.Many2one("crm.complaint", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="complaint_id.company_id.currency_id")
    amount = fields.Monetary(
        "Amount (untaxed)", required=True,
        help="Positive. With an invoice: at most what its untaxed amount leaves after the complaint's other "
        "credit notes (cancelled ones excepted).")
    reason = fields.Char(required=True, default=lambda self: self.env._("Compensation"))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        complaint = self.env["crm.complaint"].browse(values.get("complaint_id"))
        if complaint:
            values["reason"] = self.env._("Compensation for %(ref)s: %(subject)s",
                                          ref=complaint.name, subject=complaint.subject)
        return values

    def action_create_credit_note(self):
        """Reverse the linked invoice for the amount (Odoo's own reversal), or issue a new credit note."""
        self._ensure_one_record()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users can create a credit note."))
        if self.amount <= 0:
            raise UserError(self.env._("A compensation must be a positive amount."))
        complaint = self.complaint_id
        if complaint.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("%(ref)s belongs to a company you cannot invoice for.", ref=complaint.name))
        if complaint.to_triage:
            raise UserError(self.env._("Confirm the customer of %(ref)s before compensating.", ref=complaint.name))
        invoice = complaint.invoice_id
        self._check_amount(complaint, invoice)
        if invoice:
            credit_note = invoice._reverse_moves([{"ref": self.reason, "complaint_id": complaint.id}])
            credit_note.invoice_line_ids = [fields.Command.clear()] + [
                fields.Command.create(vals) for vals in self._partial_lines(invoice)]
        else:
            credit_note = self.env["account.move"].with_company(complaint.company_id).create({
                "move_type": "out_refund", "partner_id": complaint.partner_id.id, "ref": self.reason,
                "complaint_id": complaint.id, "invoice_origin": complaint.name,
                "invoice_line_ids": [fields.Command.create({"name": self.reason, "price_unit": self.amount})],
            })
        complaint.message_post(body=self.env._("Credit note %(note)s drafted for %(amount)s.",
                                               note=credit_note.display_name, amount=self.amount))
        return complaint._open_record(credit_note)

    def _check_amount(self, complaint, invoice):
        """All the complaint's credit notes (cancelled ones excepted) stay within its invoice."""
        if not invoice:
            if self.amount > MAX_COMPENSATION:
                raise UserError(self.env._("A compensation cannot exceed %(max)s.",
                                           max=format_amount(self.env, MAX_COMPENSATION, self.currency_id)))
            return
        if invoice.commercial_partner_id != complaint.partner_id.commercial_partner_id \
                or invoice.company_id != complaint.company_id:
            raise ValidationError(self.env._(
                "Invoice %(invoice)s is not the customer's invoice of %(ref)s.",
                invoice=invoice.display_name, ref=complaint.name))
        already = sum(complaint.credit_note_ids.filtered(lambda move: move.state != "cancel").mapped("amount_untaxed"))
        left = invoice.amount_untaxed - already
        if self.currency_id.compare_amounts(self.amount, left) > 0:
            raise UserError(self.env._(
                "The compensation cannot exceed the invoice's untaxed amount (%(amount)s): %(already)s are "
                "already credited for this complaint, %(left)s are left.",
                amount=format_amount(self.env, invoice.amount_untaxed, self.currency_id),
                already=format_amount(self.env, already, self.currency_id),
                left=format_amount(self.env, max(left, 0.0), self.currency_id)))

    def _partial_lines(self, invoice):
        """The compensation spread over the invoice's product lines, with their taxes and accounts."""
        lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        total = sum(lines.mapped("price_subtotal")) or 1.0
        shares = [self.currency_id.round(self.amount * line.price_subtotal / total) for line in lines[:-1]]
        shares.append(self.currency_id.round(self.amount - sum(shares)))  # the cents rounding left over
        return [{
            "name": f"{self.reason} – {line.name}", "product_id": line.product_id.id, "quantity": 1,
            "price_unit": share, "tax_ids": [fields.Command.set(line.tax_ids.ids)],
            "account_id": line.account_id.id,
        } for line, share in zip(lines, shares, strict=False)]
