from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from .crm_credit_rating import CREDIT_CONTROLLERS

# Written only by the hold's own methods (sale.order._credit_hold_sync, _release, _clear):
# never by a caller.
ACTION_FIELDS = frozenset({
    "order_id", "partner_id", "company_id", "findings", "legacy_rules", "amount", "currency_id", "state",
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
    findings = fields.Json(readonly=True, help="The credit rules the order triggered and their figures, "
                           "as recorded when it was last checked.")
    rules = fields.Text("Rules Triggered", compute="_compute_rules",
                        help="The credit rules the order triggered (holding first, then warning), with the figures.")
    legacy_rules = fields.Text("Rules Triggered (as first written)", readonly=True,
                               help="Holds recorded by version 18.0.1.6.0 kept their rules as text.")
    amount = fields.Monetary(readonly=True, currency_field="currency_id",
                             help="The order's total when it was held: a release covers up to this amount.")
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    state = fields.Selection(
        [("held", "Held"), ("released", "Released"), ("cleared", "Cleared")], default="held", required=True,
        readonly=True, tracking=True, index=True,
        help="Held: the order waits for a credit controller. Released: a controller let it through, "
        "with a reason. Cleared: the rules no longer stop the order (the customer paid, the order "
        "changed or was cancelled).")
    released_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    release_date = fields.Datetime(readonly=True, tracking=True)
    release_reason = fields.Text(readonly=True)
    valid_until = fields.Date("Release Valid Until", readonly=True, tracking=True,
                              help="Empty: the release holds for this order and amount with no end date.")
    is_valid = fields.Boolean("Release in Force", compute="_compute_is_valid",
                              help="Released, and the validity has not passed.")

    @api.depends("findings", "legacy_rules", "currency_id")
    @api.depends_context("lang")
    def _compute_rules(self):
        for hold in self:
            if not hold.findings:
                hold.rules = hold.legacy_rules
                continue
            holding = [finding for finding in hold.findings if finding["mode"] == "hold"]
            warning = [finding for finding in hold.findings if finding["mode"] != "hold"]
            hold.rules = "\n".join(
                [self._finding_text(finding, hold.currency_id) for finding in holding]
                + [self.env._("Warning: %(rule)s", rule=self._finding_text(finding, hold.currency_id))
                   for finding in warning])

    @api.model
    def _finding_text(self, finding, currency):
        """One credit rule an order triggered, with its figures, in the environment's language."""
        _ = self.env._
        values = finding["values"]

        def money(amount):
            return format_amount(self.env, amount, currency)

        rule = finding["rule"]
        if rule == "over_limit":
            return _("Over credit limit: exposure with this order %(exposure)s, limit %(limit)s.",
                     exposure=money(values["exposure"]), limit=money(values["limit"]))
        if rule == "overdue_amount":
            return _("Overdue receivables %(overdue)s, above %(limit)s.",
                     overdue=money(values["overdue"]), limit=money(values["limit"]))
        if rule == "overdue_days":
            return _("Oldest overdue invoice %(days)s days late, above %(limit)s days.",
                     days=values["days"], limit=values["limit"])
        if rule == "rating":
            grades = dict(self.env["crm.credit.rating"]._fields["grade"]._description_selection(self.env))
            return _("Credit rating %(grade)s, at or below %(limit)s.",
                     grade=grades.get(values["grade"], values["grade"]),
                     limit=values["limit"])
        return _("Credit review expired on %(date)s.", date=format_date(self.env, values["date"]))

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

    def _salesperson_env(self):
        """The environment in the language of who reads what the hold writes: the order's salesperson."""
        self.ensure_one()
        return self.with_context(lang=self.order_id.user_id.lang or self.env.lang).env

    def _notify_release(self):
        """Tell the salesperson (activity) and keep the decision on the order and the customer,
        in the salesperson's language."""
        self.ensure_one()
        order = self.order_id
        env = self._salesperson_env()
        until = env._(", valid until %(date)s", date=format_date(env, self.valid_until)) if self.valid_until else ""
        body = Markup("%s<br/>%s") % (
            env._("Credit hold released by %(user)s for up to %(amount)s%(until)s.",
                  user=self.env.user.name, amount=format_amount(env, self.amount, self.currency_id), until=until),
            self.release_reason)
        # sudo: a credit controller records the decision on an order and a customer they may only read.
        order.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        self.partner_id.sudo()._message_log(body=Markup("%s: %s") % (order.name, body))
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        if order.user_id:
            order.sudo().activity_schedule(
                "mail.mail_activity_data_todo", user_id=order.user_id.id,
                summary=env._("Credit hold released: confirm %(order)s", order=order.name),
                note=body)

    def _notify_controllers(self):
        """Tell the company's credit controllers that an order waits for their decision, each in
        their language."""
        group = self.env.ref(CREDIT_CONTROLLERS)
        for hold in self:
            controllers = group.sudo().users.filtered(
                lambda user, hold=hold: hold.company_id in user.company_ids and not user.share)
            for lang in set(controllers.mapped("lang")):
                env = hold.with_context(lang=lang or self.env.lang).env
                recipients = controllers.filtered(lambda user, lang=lang: user.lang == lang)
                # sudo: the company's rules held the order, whoever saved the quotation
                hold.with_env(env).sudo().message_notify(
                    partner_ids=recipients.partner_id.ids,
                    subject=env._("Held order %(order)s waits for a credit decision", order=hold.order_id.name),
                    body=Markup("%s<br/>%s") % (
                        env._("%(order)s for %(customer)s (%(amount)s) is held by the credit rules:",
                              order=hold.order_id.name, customer=hold.partner_id.name,
                              amount=format_amount(env, hold.amount, hold.currency_id)),
                        hold.with_env(env).rules),
                    subtype_xmlid="mail.mt_comment", email_layout_xmlid="mail.mail_notification_light")

    def _clear(self):
        """The rules no longer stop these held orders: close the holds, say so on the order."""
        held = self.filtered(lambda hold: hold.state == "held")
        if not held:
            return
        # sudo: the company's rules clear the hold; its fields stay closed to every direct write
        held.sudo().write({"state": "cleared"})
        for hold in held:
            env = hold._salesperson_env()
            text = env._("The credit rules no longer stop %(order)s: its hold is cleared.", order=hold.order_id.name)
            hold.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")
            hold.order_id.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")

    @api.model
    def _recheck(self, company=None, partners=None):
        """Check the held orders again (nightly, and when the customer's documents change): the
        rules may no longer stop them."""
        domain = [("state", "=", "held")]
        if company:
            domain.append(("company_id", "=", company.id))
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        # sudo: keeping the held orders true is the company's job, whoever changed a document
        for hold in self.sudo().search(domain):
            hold.order_id.with_company(hold.company_id)._credit_hold_sync()

    def _covers(self, amount):
        """Whether this release lets an order of `amount` (hold currency) through today."""
        self.ensure_one()
        return self.is_valid and self.currency_id.compare_amounts(amount, self.amount) <= 0
