from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_industrial.models.crm_spec_override import QUALITY_USERS


class CrmLotSpecOverrideWizard(models.TransientModel):
    """A quality user lets a delivery's lots outside the specification be shipped, with a reason."""

    _name = "crm.lot.spec.override.wizard"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Override Quality Specification on a Delivery"

    picking_id = fields.Many2one("stock.picking", "Delivery", required=True)
    failures = fields.Text("Failed Parameters", compute="_compute_failures")
    reason = fields.Text(required=True, help="Why the lots may be delivered although they fail the specification.")

    @api.depends("picking_id")
    def _compute_failures(self):
        for wizard in self:
            # sudo: quality users judge the delivery's quality without inventory rights on it
            wizard.failures = "\n".join(
                line._spec_failure_label() for line in wizard.picking_id.sudo().move_line_ids if line.spec_failures)

    def action_override(self):
        self._ensure_one_record()
        if not self.env.user.has_group(QUALITY_USERS):
            raise AccessError(self.env._("Only quality users (Complaints: Quality / Service) can override a "
                                         "quality specification."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the lots may be delivered."))
        # sudo: quality users decide on the quality of any delivery of their companies, with or
        # without inventory rights on it (the group is checked above, the company below)
        picking = self.picking_id.sudo()
        if picking.company_id not in self.env.companies:
            raise AccessError(self.env._("This delivery belongs to a company you cannot work in."))
        lines = picking._spec_uncovered_lines()
        if not lines:
            raise UserError(self.env._("%(delivery)s has no lot outside the specification left to override.",
                                       delivery=picking.name))
        self.env["crm.lot.spec.override"].create([{
            "picking_id": picking.id, "lot_id": line.lot_id.id, "product_id": line.product_id.id,
            "company_id": picking.company_id.id, "failures": line.spec_failures, "reason": reason,
        } for line in lines])
        body = Markup("%s<ul>%s</ul>") % (
            self.env._("Quality specification overridden by %(user)s: %(reason)s",
                       user=self.env.user.name, reason=reason),
            Markup().join(Markup("<li>%s</li>") % line._spec_failure_label() for line in lines))
        # (sudo picking) a quality user may not write on the delivery, the note records their decision on it
        picking.message_post(body=body, author_id=self.env.user.partner_id.id)
        return {"type": "ir.actions.act_window_close"}
