from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_credit_rating import CREDIT_GRADES
from .res_partner_credit_decision import CREDIT_READERS

GRADE_RANK = {grade: rank for rank, (grade, _label) in enumerate(CREDIT_GRADES)}
OPEN_STATES = ("draft", "sent")
# Writing these on a quotation can change what the credit rules find.
CREDIT_RELEVANT_FIELDS = {"partner_id", "company_id", "order_line", "currency_id", "pricelist_id"}


# One file per feature of the order (see sale_order.py).
# pylint: disable=consider-merging-classes-inherited
class SaleOrder(models.Model):
    """Credit rules on quotations: 'warn' rules show a banner, 'hold' rules stop the confirmation
    until a credit controller releases the order (crm.credit.hold)."""

    _inherit = "sale.order"

    credit_hold_ids = fields.One2many("crm.credit.hold", "order_id", "Credit Holds", groups=CREDIT_READERS)
    credit_hold_state = fields.Selection(
        [("ok", "No credit issue"), ("warn", "Credit warning"), ("held", "Held"), ("released", "Released")],
        "Credit Status", compute="_compute_credit_hold", groups=CREDIT_READERS,
        help="Held: a hold rule of the company's credit policy stops the confirmation until a credit "
        "controller releases the order for its amount.")
    credit_hold_message = fields.Text("Credit Rules", compute="_compute_credit_hold", groups=CREDIT_READERS)
    credit_hold_listed = fields.Boolean(
        "In Held Orders", compute="_compute_credit_hold", groups=CREDIT_READERS,
        help="The held order is already in the Held Orders list, waiting for a credit controller.")

    @api.depends("partner_id", "company_id", "amount_total", "currency_id", "state", "credit_hold_ids.state")
    @api.depends_context("date")
    def _compute_credit_hold(self):
        for order in self:
            order.credit_hold_state, order.credit_hold_message = order._credit_hold_status()
            # sudo: whether this order's hold is listed, read with the holds the status above already
            # read (as the release check does), rather than a second query
            order.credit_hold_listed = order.credit_hold_state == "held" and any(
                hold.state == "held" for hold in order.sudo().credit_hold_ids)

    def _credit_hold_status(self):
        """(state, banner text) of one order, in the reader's language."""
        self.ensure_one()
        if self.state not in OPEN_STATES or not self.partner_id or not self.company_id:
            return "ok", False
        findings = self._credit_findings()
        Hold = self.env["crm.credit.hold"]
        currency = self.company_id.currency_id
        holds = [Hold._finding_text(finding, currency) for finding in findings if finding["mode"] == "hold"]
        warns = [Hold._finding_text(finding, currency) for finding in findings if finding["mode"] == "warn"]
        lines = []
        if holds:
            release = self._credit_release_covering()
            if release:
                state = "released"
                lines.append(self.env._("Credit hold released by %(user)s: %(reason)s",
                                        user=release.released_by_id.name, reason=release.release_reason))
            else:
                state = "held"
                lines.append(self.env._("Held: a credit controller must release this order before it is confirmed."))
            lines += holds
        else:
            state = "warn" if warns else "ok"
        lines += warns
        return state, "\n".join(lines) or False

    def _credit_amount(self):
        """The order's total in its company's currency."""
        self.ensure_one()
        if self.currency_id == self.company_id.currency_id:
            # already rounded in that currency: converting would only read the currency to round it again
            return self.amount_total
        return self.currency_id._convert(self.amount_total, self.company_id.currency_id, self.company_id,
                                         self.date_order or fields.Date.context_today(self))

    def _credit_findings(self):
        """The company's credit rules this order triggers, with the figures that triggered them:
        [{"rule": ..., "mode": "warn" or "hold", "values": {...}}] (crm.credit.hold words them)."""
        self.ensure_one()
        company = self.company_id
        policy = company._credit_hold_policy()
        # sudo: the rules are the company's policy; salespeople may not read receivables or limits.
        figures = self.partner_id.commercial_partner_id.with_company(company).sudo()._credit_hold_figures()
        amount = self._credit_amount()
        findings = []
        for rule, (mode, threshold) in policy.items():
            if mode == "off":
                continue
            values = getattr(self, f"_credit_rule_{rule}")(figures, threshold, amount)
            if values:
                findings.append({"rule": rule, "mode": mode, "values": values})
        return findings

    def _credit_rule_over_limit(self, figures, _threshold, amount):
        limit = figures["credit_limit"]
        exposure = figures["exposure"] + amount
        if self.company_id.account_use_credit_limit and limit > 0 \
                and self.company_id.currency_id.compare_amounts(exposure, limit) > 0:
            return {"exposure": exposure, "limit": limit}
        return None

    def _credit_rule_overdue_amount(self, figures, threshold, _amount):
        overdue = figures["overdue"]
        if self.company_id.currency_id.compare_amounts(overdue, threshold or 0.0) > 0 \
                and not self.company_id.currency_id.is_zero(overdue):
            return {"overdue": overdue, "limit": threshold or 0.0}
        return None

    def _credit_rule_overdue_days(self, figures, threshold, _amount):
        days = figures["overdue_days"]
        if days > (threshold or 0):
            return {"days": days, "limit": threshold or 0}
        return None

    def _credit_rule_rating(self, figures, threshold, _amount):
        grade = figures["rating"]
        if grade and GRADE_RANK[grade] >= GRADE_RANK[threshold or "E"]:
            return {"grade": grade, "limit": threshold}
        return None

    def _credit_rule_review_expired(self, figures, _threshold, _amount):
        if figures["review_due"]:
            return {"date": fields.Date.to_string(figures["review_date"])}
        return None

    def _credit_release_covering(self):
        """The release in force that lets this order through at its current amount, if any."""
        self.ensure_one()
        # sudo: whether a release covers the order decides for every user who confirms it.
        releases = self.sudo().credit_hold_ids.filtered(lambda hold: hold.state == "released")
        amount = self._credit_amount()
        return releases.filtered(lambda hold: hold._covers(amount))[:1]

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._credit_hold_sync()
        return orders

    def write(self, vals):
        result = super().write(vals)
        if CREDIT_RELEVANT_FIELDS & set(vals):
            self._credit_hold_sync()
        return result

    # ------------------------------------------------------------------ ACTIONS

    def action_confirm(self):
        self._check_real_ids()
        self._check_credit_hold()
        return super().action_confirm()

    def action_request_credit_release(self):
        """Put the quotation in the held orders, for credit controllers to decide."""
        self._check_real_ids()
        self.check_access("write")
        self._credit_hold_sync()
        return True

    # ------------------------------------------------------------------ BUSINESS

    def _check_credit_hold(self):
        """A held order is not confirmed, by anyone, until a release covers it."""
        Hold = self.env["crm.credit.hold"]
        for order in self.filtered(lambda order: order.state in OPEN_STATES):
            holds = [Hold._finding_text(finding, order.company_id.currency_id)
                     for finding in order._credit_findings() if finding["mode"] == "hold"]
            if holds and not order._credit_release_covering():
                raise UserError(self.env._(
                    "%(order)s is held by the credit rules and cannot be confirmed:\n%(rules)s\n"
                    "A credit controller must release it (Held Orders).",
                    order=order.name, rules="\n".join(holds)))

    def _credit_hold_sync(self):
        """Keep the held orders true: one held record per open quotation that the hold rules stop
        and no release covers, up to date with the rules and the amount; a held record whose
        order the rules no longer stop (the customer paid, the order shrank, was confirmed under
        a release or cancelled) is cleared."""
        Hold = self.env["crm.credit.hold"]
        for order in self:
            # sudo: the hold is the company's rules applied to the order, not the user's choice.
            pending = order.sudo().credit_hold_ids.filtered(lambda hold: hold.state == "held")[:1]
            findings = order._credit_findings() if order.state in OPEN_STATES and order.partner_id else []
            if not any(finding["mode"] == "hold" for finding in findings) or order._credit_release_covering():
                pending._clear()
                continue
            values = {"findings": findings, "amount": order._credit_amount()}
            if pending:
                if pending.findings != findings or pending.currency_id.compare_amounts(
                        pending.amount, values["amount"]):
                    pending.write(values)
                continue
            # sudo: as above, the company's rules create the hold; no user may create one directly
            hold = Hold.sudo().create({
                **values, "order_id": order.id, "partner_id": order.partner_id.commercial_partner_id.id,
                "company_id": order.company_id.id, "currency_id": order.company_id.currency_id.id,
            })
            hold._notify_controllers()

    def _action_cancel(self):
        result = super()._action_cancel()
        self._credit_hold_sync()
        return result
