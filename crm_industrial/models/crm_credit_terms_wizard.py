from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_amount

from .crm_credit_rating import CREDIT_CONTROLLERS


class CrmCreditTermsWizard(models.TransientModel):
    """The tier's payment term and credit limit are proposals: a credit controller accepts them
    as they are or changes them, and the decision is noted on the customer."""

    _name = "crm.credit.terms.wizard"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Decide a Customer's Credit Terms"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one("crm.key.account.tier", "Key-Account Tier", readonly=True)
    proposed_payment_term_id = fields.Many2one("account.payment.term", readonly=True)
    proposed_credit_limit = fields.Monetary(readonly=True)
    payment_term_id = fields.Many2one("account.payment.term",
                                      domain="[('company_id', 'in', (False, company_id))]")
    credit_limit = fields.Monetary(help="0: no credit limit for this customer.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id") or self.env.context.get("default_partner_id"))
        if partner:
            partner = partner.commercial_partner_id.with_company(self.env.company)
            tier = partner.key_account_tier_id
            values.update({
                "partner_id": partner.id,
                "tier_id": tier.id,
                "proposed_payment_term_id": tier.payment_term_id.id,
                "proposed_credit_limit": tier.credit_limit,
                "payment_term_id": (tier.payment_term_id or partner.property_payment_term_id).id,
                "credit_limit": tier.credit_limit or partner.credit_limit,
            })
        return values

    def action_apply(self):
        self._ensure_one_record()
        if not self.env.su and not self.env.user.has_group(CREDIT_CONTROLLERS):
            raise AccessError(self.env._("Only credit controllers decide a customer's credit terms."))
        if self.company_id not in self.env.companies:
            raise AccessError(self.env._("Decide credit terms only in a company you work in."))
        self.partner_id.check_access("read")
        if self.credit_limit < 0:
            raise ValidationError(self.env._("A credit limit cannot be negative."))
        # sudo: credit controllers decide credit terms (checked above) without the right to edit
        # every other field of a customer.
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        partner.write({
            "property_payment_term_id": self.payment_term_id.id,
            "credit_limit": self.credit_limit,
            "use_partner_credit_limit": bool(self.credit_limit),
        })
        accepted = (self.payment_term_id == self.proposed_payment_term_id
                    and self.company_id.currency_id.compare_amounts(self.credit_limit, self.proposed_credit_limit) == 0)
        env = partner._owner_env()
        headline = env._("Tier credit terms accepted") if accepted else env._("Credit terms decided")
        partner._message_log(body=Markup("%s (%s): %s, %s") % (
            headline, self.company_id.name,
            self.payment_term_id.with_env(env).name or env._("no payment term"),
            env._("credit limit %(amount)s",
                  amount=format_amount(env, self.credit_limit, self.company_id.currency_id))))
        return {"type": "ir.actions.act_window_close"}
