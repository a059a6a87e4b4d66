from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

OPEN_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    spec_warning = fields.Html(
        "Quality Warning", compute="_compute_spec_warning", sanitize=False,
        help="Lines whose product is outside the customer's quality specification.")
    spec_compliance_required = fields.Boolean(
        "Specification Compliance Required", compute="_compute_spec_warning",
        help="The customer requires its quality specifications: lines outside them block the confirmation "
        "unless a quality user overrides them.")
    spec_blocked = fields.Boolean(
        "Blocked by Specification", compute="_compute_spec_warning", search="_search_spec_blocked",
        help="Lines outside the specification that no quality user has overridden stop the confirmation.")
    spec_override_ids = fields.One2many("crm.spec.override", "order_id", "Specification Overrides", readonly=True)

    @api.depends("order_line.spec_failures", "partner_id", "company_id", "spec_override_ids")
    @api.depends_context("lang")
    def _compute_spec_warning(self):
        for order in self:
            failing = order.order_line.filtered("spec_failures")
            customer = order.partner_id.commercial_partner_id.with_company(order.company_id)
            # sudo: whether the customer requires compliance decides the order's confirmation for every
            # user; only this flag is read
            order.spec_compliance_required = customer.sudo().spec_compliance_required if customer else False
            uncovered = order._spec_uncovered_lines() if order.spec_compliance_required else failing.browse()
            order.spec_blocked = bool(uncovered) and order.state in OPEN_STATES
            if not failing:
                order.spec_warning = False
                continue
            items = Markup().join(
                Markup("<li><b>%s</b>: %s%s</li>") % (
                    line.product_id.display_name, line.spec_failures.replace("\n", "; "),
                    Markup(" <i>(%s)</i>") % self.env._("overridden") if line not in uncovered
                    and order.spec_compliance_required else "")
                for line in failing)
            order.spec_warning = Markup("%s<ul class='mb-0'>%s</ul>") % (
                self.env._("Outside %(customer)s's quality specification:", customer=customer.name), items)

    def _search_spec_blocked(self, operator, value):
        """Open quotations (of the companies the user works in, and that the user may read) whose
        confirmation the customer's specification blocks. The failures are computed, not stored: the
        candidates are the open quotations of customers with a specification, checked in Python."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search quotations blocked by specification with = or != and a yes/no."))
        # sudo: which customers have a specification narrows the candidates only; the orders
        # themselves are searched with the user's rights
        specs = self.env["crm.customer.spec"].sudo()._search([("company_id", "in", self.env.companies.ids)])
        candidates = self.search([
            ("state", "in", OPEN_STATES), ("company_id", "in", self.env.companies.ids),
            ("partner_id.commercial_partner_id", "in", specs.subselect("partner_id"))])
        blocked = candidates.filtered("spec_blocked")
        return [("id", "in" if (operator == "=") == value else "not in", blocked.ids)]

    def _spec_uncovered_lines(self):
        """Lines failing the specification that no override covers (for the line's current product)."""
        self.ensure_one()
        # sudo: the overrides of the order decide the check, whoever confirms
        overrides = self.sudo().spec_override_ids
        covered = {(override.line_id.id, override.product_id.id) for override in overrides}
        return self.order_line.filtered(
            lambda line: line.spec_failures and (line.id, line.product_id.id) not in covered)

    def action_confirm(self):
        self._check_real_ids()
        self._check_spec_compliance()
        return super().action_confirm()

    def _check_spec_compliance(self):
        for order in self.filtered(lambda order: order.state in OPEN_STATES and order.partner_id):
            customer = order.partner_id.commercial_partner_id.with_company(order.company_id)
            # sudo: the customer's requirement applies whoever confirms the order
            if not customer.sudo().spec_compliance_required:
                continue
            lines = order._spec_uncovered_lines()
            if lines:
                raise UserError(self.env._(
                    "%(order)s cannot be confirmed: %(customer)s requires its quality specifications and "
                    "these lines fail them:\n%(lines)s\nChange the product, or ask a quality user to "
                    "override the specification with a reason.",
                    order=order.name, customer=customer.name,
                    lines="\n".join(f"- {line.product_id.display_name}: {line.spec_failures.replace(chr(10), '; ')}"
                                    for line in lines)))

    def action_open_spec_override(self):
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Quality Specification"),
            "res_model": "crm.spec.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }
