from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.industrial.value.guard"]

    spec_warning = fields.Html(
        "Quality Warning", compute="_compute_spec_warning", sanitize=False, groups="base.group_user",
        help="The lots of this sales delivery that are outside the customer's quality specification.")
    spec_compliance_required = fields.Boolean(
        "Specification Compliance Required", compute="_compute_spec_warning", groups="base.group_user",
        help="The customer requires its quality specifications: lots outside them stop the validation of "
        "the delivery unless a quality user overrides them.")
    spec_blocked = fields.Boolean(
        "Blocked by Specification", compute="_compute_spec_warning", groups="base.group_user",
        help="Lots outside the specification that no quality user has overridden stop the validation.")
    lot_spec_override_ids = fields.One2many(
        "crm.lot.spec.override", "picking_id", "Specification Overrides", readonly=True, groups="base.group_user")

    def _spec_checked(self):
        """Whether this picking's lots are checked: an outgoing delivery of a sales order."""
        self.ensure_one()
        return self.picking_type_code == "outgoing" and bool(self.sale_id)

    def _spec_customer(self):
        """The customer company whose specification applies: the sales order's."""
        self.ensure_one()
        # sudo: the sales order's customer decides which specification applies, whoever ships the
        # order (a warehouse user or another salesperson may not read the order itself)
        order = self.sudo().sale_id
        return (order.partner_id or self.partner_id).commercial_partner_id.sudo(False)

    def _spec_required(self):
        self.ensure_one()
        customer = self._spec_customer().with_company(self.company_id)
        # sudo: whether the customer requires compliance decides the validation for every user;
        # only this flag is read
        return bool(customer) and customer.sudo().spec_compliance_required

    @api.depends("move_line_ids.spec_failures", "lot_spec_override_ids", "state")
    @api.depends_context("lang")
    def _compute_spec_warning(self):
        for picking in self:
            checked = picking._spec_checked()
            failing = picking.move_line_ids.filtered("spec_failures") if checked else picking.move_line_ids.browse()
            picking.spec_compliance_required = checked and picking._spec_required()
            uncovered = picking._spec_uncovered_lines() if picking.spec_compliance_required else failing.browse()
            picking.spec_blocked = bool(uncovered) and picking.state not in ("done", "cancel")
            if not failing:
                picking.spec_warning = False
                continue
            items = Markup().join(
                Markup("<li>%s%s</li>") % (
                    line._spec_failure_label(),
                    Markup(" <i>(%s)</i>") % self.env._("overridden") if line not in uncovered
                    and picking.spec_compliance_required else "")
                for line in failing)
            picking.spec_warning = Markup("%s<ul class='mb-0'>%s</ul>") % (
                self.env._("Lots outside %(customer)s's quality specification:",
                           customer=picking._spec_customer().name), items)

    def _spec_uncovered_lines(self):
        """Move lines whose lot fails the specification and that no override covers (for this lot of
        this product)."""
        self.ensure_one()
        if not self._spec_checked():
            return self.move_line_ids.browse()
        # sudo: the overrides of the delivery decide the check, whoever validates
        covered = {(override.lot_id.id, override.product_id.id) for override in self.sudo().lot_spec_override_ids}
        return self.move_line_ids.filtered(
            lambda line: line.spec_failures and (line.lot_id.id, line.product_id.id) not in covered)

    def _check_spec_compliance(self):
        # sudo: the customer's requirement applies whoever validates the delivery (a scheduled job, a
        # user without rights on the specification); the check only reads
        for picking in self.sudo().filtered(lambda picking: picking.state not in ("done", "cancel")):
            if not picking._spec_checked() or not picking._spec_required():
                continue
            lines = picking._spec_uncovered_lines()
            if lines:
                raise UserError(self.env._(
                    "%(delivery)s cannot be validated: %(customer)s requires its quality specifications and "
                    "these lots fail them:\n%(lots)s\nChoose other lots, or ask a quality user to override "
                    "the specification with a reason.",
                    delivery=picking.name, customer=picking._spec_customer().name,
                    lots="\n".join(f"- {line._spec_failure_label()}" for line in lines)))

    def button_validate(self):
        self._check_real_ids()
        self._check_spec_compliance()
        return super().button_validate()

    def _action_done(self):
        # every way to a done delivery, not only the button
        self._check_spec_compliance()
        return super()._action_done()

    def action_open_lot_spec_override(self):
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Quality Specification"),
            "res_model": "crm.lot.spec.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }
