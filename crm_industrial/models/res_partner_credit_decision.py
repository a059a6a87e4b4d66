from odoo import api, fields, models
from odoo.tools import format_amount

from .crm_credit_rating import CREDIT_GRADES
from .crm_customer_credit_stat import DIRTY_KEY as CREDIT_DIRTY_KEY

# Who sees the credit decisions on a customer: salespeople the holds of their orders (the hold
# state), accounting everything (ratings with their reasons, financial health, proposals).
CREDIT_READERS = "sales_team.group_sale_salesman,account.group_account_invoice,account.group_account_readonly"
CREDIT_DETAIL_READERS = "account.group_account_invoice,account.group_account_readonly"


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """Credit decisions on a customer for the current company: rating, financial health,
    held orders and the tier's credit-term proposal."""

    _inherit = "res.partner"

    credit_rating = fields.Selection(
        CREDIT_GRADES, compute="_compute_credit_figures", search="_search_credit_rating",
        groups=CREDIT_DETAIL_READERS, help="The customer's latest credit rating in the current company.")
    credit_review_date = fields.Date(
        "Credit Review By", compute="_compute_credit_figures", groups=CREDIT_DETAIL_READERS)
    credit_review_due = fields.Boolean(
        compute="_compute_credit_figures", search="_search_credit_review_due",
        groups=CREDIT_DETAIL_READERS, help="The review date of the current credit rating has passed.")
    credit_rating_ids = fields.One2many(
        "crm.credit.rating", "partner_id", "Credit Ratings", groups=CREDIT_DETAIL_READERS,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    financial_snapshot_ids = fields.One2many(
        "crm.customer.financial.snapshot", "partner_id", "Financial Snapshots", groups=CREDIT_DETAIL_READERS,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    credit_hold_ids = fields.One2many(
        "crm.credit.hold", "partner_id", "Credit Holds", groups=CREDIT_READERS,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    # the counts behind the history buttons: with the customer's other records in one query
    # (res_partner_record_counts.py)
    credit_rating_count = fields.Integer(compute="_compute_record_counts", groups=CREDIT_DETAIL_READERS)
    financial_snapshot_count = fields.Integer(compute="_compute_record_counts", groups=CREDIT_DETAIL_READERS)
    credit_hold_count = fields.Integer(compute="_compute_record_counts", groups=CREDIT_READERS)
    credit_terms_proposal = fields.Char(
        "Tier Credit-Terms Proposal", compute="_compute_credit_terms_proposal", groups=CREDIT_DETAIL_READERS,
        help="The key-account tier suggests other credit terms than the customer has: a credit "
        "controller accepts or changes them.")

    # credit_rating, credit_review_date and credit_review_due: read with the credit figures, one query
    # (res_partner_credit.py, _compute_credit_figures)

    def _search_credit_rating(self, operator, value):
        ratings = self.env["crm.credit.rating"]._search([
            ("company_id", "=", self.env.company.id), ("is_current", "=", True), ("grade", operator, value)])
        return [("commercial_partner_id", "in", ratings.subselect("partner_id"))]

    def _search_credit_review_due(self, operator, value):
        ratings = self.env["crm.credit.rating"]._search([
            ("company_id", "=", self.env.company.id), ("review_due", operator, value)])
        return [("commercial_partner_id", "in", ratings.subselect("partner_id"))]

    @api.depends("key_account_tier_id", "property_payment_term_id", "credit_limit")
    @api.depends_context("company")
    def _compute_credit_terms_proposal(self):
        # the tiers' payment terms and the partners' own read together (the form shows the
        # partner's too): one query instead of two
        (self.commercial_partner_id.key_account_tier_id.payment_term_id | self.property_payment_term_id).mapped("name")
        for partner in self:
            tier = partner.commercial_partner_id.key_account_tier_id
            term = tier.payment_term_id != partner.property_payment_term_id and tier.payment_term_id.name
            limit = tier.credit_limit and self.env.company.currency_id.compare_amounts(
                tier.credit_limit, partner.credit_limit) and format_amount(
                    self.env, tier.credit_limit, self.env.company.currency_id)
            partner.credit_terms_proposal = self._credit_terms_proposal_text(tier.name, term, limit)

    def _credit_terms_proposal_text(self, tier, term, limit):
        """One whole sentence per case, so that each language has its own word order and punctuation."""
        if term and limit:
            return self.env._("%(tier)s suggests %(term)s, credit limit %(amount)s",
                              tier=tier, term=term, amount=limit)
        if term:
            return self.env._("%(tier)s suggests %(term)s", tier=tier, term=term)
        if limit:
            return self.env._("%(tier)s suggests a credit limit of %(amount)s", tier=tier, amount=limit)
        return False

    def action_decide_credit_terms(self):
        """Open the decision on the tier's credit-term proposal (the wizard checks who may apply it)."""
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Terms"),
            "res_model": "crm.credit.terms.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_new_credit_rating(self):
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Credit Rating"),
            "res_model": "crm.credit.rating",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_new_financial_snapshot(self):
        """The first financial-health snapshot of this customer, in a dialog (credit controllers:
        those who may create snapshots)."""
        self._ensure_one_record()
        self.env["crm.customer.financial.snapshot"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Financial Health Snapshot"),
            "res_model": "crm.customer.financial.snapshot",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _credit_hold_figures(self):
        """What the hold rules read of this customer in the current company (company currency):
        the credit figures (crm.customer.credit.stat: exposure, overdue amount, oldest overdue
        days), Odoo's credit limit, and the current rating."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        Stat = self.env["crm.customer.credit.stat"]
        # Documents of this customer changed in this transaction: its figures are refreshed at
        # commit; the rules need them now (one customer, one query).
        dirty = self.env.cr.precommit.data.get(CREDIT_DIRTY_KEY, set())
        if (company.id, partner.id) in dirty:
            # sudo: the figures are derived data, refreshed whoever reads a quotation
            Stat.sudo()._refresh(partner)
            dirty.discard((company.id, partner.id))
        # the partner's own credit figures and current rating (one query for both, kept in the
        # request's cache: a new line's onchange runs the rules twice, the quotation form once more)
        return {
            "exposure": float(partner.credit_exposure or 0.0),
            "credit_limit": partner.credit_limit,
            "overdue": float(partner.receivable_overdue or 0.0),
            "overdue_days": partner.overdue_max_days or 0,
            "rating": partner.credit_rating,
            "review_due": partner.credit_review_due,
            "review_date": partner.credit_review_date,
        }
