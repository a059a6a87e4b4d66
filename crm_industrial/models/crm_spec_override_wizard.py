from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_spec_override import QUALITY_USERS


class CrmSpecOverrideWizard(models.TransientModel):
    """A quality user lets an order's lines outside the specification be confirmed, with a reason."""

    _name = "crm.spec.override.wizard"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Override Quality Specification"

    order_id = fields.Many2one("sale.order", required=True)
    failures = fields.Text("Failed Parameters", compute="_compute_failures")
    reason = fields.Text(required=True, help="Why the order may be confirmed although it fails the specification.")

    @api.depends("order_id")
    def _compute_failures(self):
        for wizard in self:
            # sudo: quality users judge the order's quality without sales rights on it
            wizard.failures = "\n".join(
                f"{line.product_id.display_name}: {line.spec_failures}"
                for line in wizard.order_id.sudo().order_line if line.spec_failures)

    def action_override(self):
        self._ensure_one_record()
        if not self.env.user.has_group(QUALITY_USERS):
            raise AccessError(self.env._("Only quality users (Complaints: Quality / Service) can override a "
                                         "quality specification."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the order may be confirmed."))
        # sudo: quality users decide on the quality of any order of their companies, with or
        # without sales rights on it (the group is checked above, the company below)
        order = self.order_id.sudo()
        if order.company_id not in self.env.companies:
            raise AccessError(self.env._("This order belongs to a company you cannot work in."))
        lines = order._spec_uncovered_lines()
        if not lines:
            raise UserError(self.env._("%(order)s has no line outside the specification left to override.",
                                       order=order.name))
        self.env["crm.spec.override"].create([{
            "order_id": order.id, "line_id": line.id, "company_id": order.company_id.id,
            "product_id": line.product_id.id, "failures": line.spec_failures, "reason": self.reason.strip(),
        } for line in lines])
        body = Markup("%s<br/>%s<ul>%s</ul>") % (
            self.env._("Quality specification overridden by %(user)s: %(reason)s",
                       user=self.env.user.name, reason=self.reason.strip()),
            self.env._("Lines outside the specification:"),
            Markup().join(Markup("<li>%s: %s</li>") % (line.product_id.display_name, line.spec_failures)
                          for line in lines))
        # (sudo order) a quality user may not write on the order, the note records their decision on it
        order.message_post(body=body, author_id=self.env.user.partner_id.id)
        return {"type": "ir.actions.act_window_close"}
