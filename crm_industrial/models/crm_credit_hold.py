from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .crm_credit_rating import CREDIT_CONTROLLERS

# Written only by the hold's own methods (_hold_orders, _release): never by a caller.
ACTION_FIELDS = frozenset({
    "order_id", "partner_id", "company_id", "rules", "amount", "currency_id", "state",
    "released_by_id", "release_date", "release_reason", "valid_until",
})


class CrmCreditHold(models.Model):
    """An order held by the company's credit rules, and its release by a credit controller.

    Kept as a record (who, when, why, which amount, until when) on the order and the customer.
    """

    _name = "crm.credit.hold"
    _description = "Credit Hold on a Sales Order"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.industrial.value.guard"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(related="order_id.name", string="Order Reference")
    order_id = fields.Many2one("sale.order", required=True, readonly=True, index=True,
                               ondelete="cascade", check_company=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson")
    rules = fields.Text("Rules Triggered", readonly=True, help="The hold rules the order triggered, with the figures.")
    amount = fields.Monetary(readonly=True, currency_field="currency_id",
                             help="The order's total when it was held: a release covers up to this amount.")
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    state = fields.Selection([("held", "Held"), ("released", "Released")], default="held", required=True,
                             readonly=True, tracking=True, index=True)
    released_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    release_date = fields.Datetime(readonly=True, tracking=True)
    release_reason = fields.Text(readonly=True)
    valid_until = fields.Date("Release Valid Until", readonly=True, tracking=True,
                              help="Empty: the release holds for this order and amount with no end date.")
    is_valid = fields.Boolean("Release in Force", compute="_compute_is_valid",
                              help="Released, and the validity has not passed.")

    @api.depends("state", "valid_until")
    @api.depends_context("date")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for hold in self:
            hold.is_valid = hold.state == "released" and (not hold.valid_until or hold.valid_until >= today)

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Credit holds are set by the company's credit rules, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and ACTION_FIELDS & set(vals):
            raise AccessError(self.env._(
                "A credit hold changes only through its Release button, by a credit controller."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(self.env._("Credit holds are kept as the record of credit decisions."))

    # ------------------------------------------------------------------ ACTIONS

    def action_open_release_wizard(self):
        self._ensure_one_record()
        self._check_releasable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Hold"),
            "res_model": "crm.credit.hold.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_hold_id": self.id},
        }

    def action_open_order(self):
        self._ensure_one_record()
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "res_id": self.order_id.id,
                "view_mode": "form"}

    # ------------------------------------------------------------------ BUSINESS

    def _check_releasable(self):
        if not self.env.su and not self.env.user.has_group(CREDIT_CONTROLLERS):
            raise AccessError(self.env._("Only credit controllers release held orders."))
        released = self.filtered(lambda hold: hold.state != "held")
        if released:
            raise UserError(self.env._("%(orders)s is already released.",
                                       orders=", ".join(released.mapped("order_id.name"))))

    def _release(self, reason, valid_until=False):
        """Release these holds: the record of who, when, why and until when; the salesperson is told."""
        self._check_releasable()
        if not (reason or "").strip():
            raise ValidationError(self.env._("Say why the order is released."))
        if valid_until and valid_until < fields.Date.context_today(self):
            raise ValidationError(self.env._("A release cannot be valid until a date already past."))
        # sudo: the checks above are the permission; the fields stay closed to every direct write.
        self.sudo().write({
            "state": "released", "released_by_id": self.env.uid, "release_date": fields.Datetime.now(),
            "release_reason": reason.strip(), "valid_until": valid_until or False,
        })
        for hold in self:
            hold._notify_release()
        return True

    def _notify_release(self):
        """Tell the salesperson (activity) and keep the decision on the order and the customer."""
        self.ensure_one()
        order = self.order_id
        body = Markup("%s<br/>%s") % (
            self.env._("Credit hold released by %(user)s for up to %(amount)s %(currency)s%(until)s.",
                       user=self.env.user.name, amount=self.amount, currency=self.currency_id.name,
                       until=self.env._(", valid until %(date)s", date=self.valid_until) if self.valid_until else ""),
            self.release_reason)
        # sudo: a credit controller records the decision on an order and a customer they may only read.
        order.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        self.partner_id.sudo()._message_log(body=Markup("%s: %s") % (order.name, body))
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        if order.user_id:
            order.sudo().activity_schedule(
                "mail.mail_activity_data_todo", user_id=order.user_id.id,
                summary=self.env._("Credit hold released: confirm %(order)s", order=order.name),
                note=body)

    def _covers(self, amount):
        """Whether this release lets an order of `amount` (hold currency) through today."""
        self.ensure_one()
        return self.is_valid and self.currency_id.compare_amounts(amount, self.amount) <= 0
