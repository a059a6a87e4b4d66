from odoo import api, fields, models, tools
from odoo.tools import consteq

ACK_SCOPE = "crm_industrial-supply-notice-ack"
# The buying-center roles best placed to act on each kind of notice, by preference.
CONTACT_ROLES = {
    "delay": ("logistics_manager", "purchasing_manager"),
    "quality": ("technical_evaluator", "end_user", "purchasing_manager"),
    "payment_cycle": ("financial_approver", "purchasing_manager"),
    "overstock": ("logistics_manager", "purchasing_manager"),
}
DEFAULT_CONTACT_ROLES = ("purchasing_manager", "general_manager")


class CrmSupplyNoticeRecipient(models.Model):
    """One customer a notice goes to: who is addressed, whether it was sent and acknowledged."""

    _name = "crm.supply.notice.recipient"
    _description = "Supply-Notice Recipient"
    _order = "notice_id, id"
    _rec_name = "partner_id"

    notice_id = fields.Many2one("crm.supply.notice", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 domain=[("is_company", "=", True)])
    contact_id = fields.Many2one("res.partner", "Addressed To", compute="_compute_contact_id", store=True,
                                 readonly=False, domain="[('parent_id', '=', partner_id)]",
                                 help="The buying-center contact best placed for this kind of notice.")
    email = fields.Char(compute="_compute_email", store=True, readonly=False)
    channel = fields.Selection([("email", "Email"), ("phone", "Phone"), ("visit", "Visit")],
                               default="email", required=True)
    send_status = fields.Selection([("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
                                   default="pending", required=True, copy=False)
    sent_date = fields.Date(copy=False)
    acknowledged = fields.Boolean(copy=False)
    acknowledged_on = fields.Datetime(copy=False)
    acknowledged_by = fields.Char(copy=False)
    reminded = fields.Boolean(copy=False)
    lang = fields.Selection(related="partner_id.lang")

    _sql_constraints = [
        ("notice_partner_unique", "UNIQUE(notice_id, partner_id)", "A customer receives a notice once."),
    ]

    @api.depends("partner_id", "notice_id.notice_type")
    def _compute_contact_id(self):
        roles = {role: self.env.ref(f"crm_industrial.crm_buying_role_{role}", raise_if_not_found=False)
                 for role in {*DEFAULT_CONTACT_ROLES, *(r for rs in CONTACT_ROLES.values() for r in rs)}}
        for recipient in self:
            contacts = recipient.partner_id.child_ids.filtered(lambda contact: contact.email)
            wanted = CONTACT_ROLES.get(recipient.notice_id.notice_type, DEFAULT_CONTACT_ROLES)
            recipient.contact_id = next(
                (contact for role in wanted for contact in contacts
                 if roles[role] and roles[role] in contact.buying_role_ids),
                recipient.partner_id.browse())

    @api.depends("contact_id.email", "partner_id.email")
    def _compute_email(self):
        for recipient in self:
            recipient.email = recipient.contact_id.email or recipient.partner_id.email

    def _ack_token(self):
        self.ensure_one()
        return tools.hmac(self.env(su=True), ACK_SCOPE, self.id)

    def _check_ack_token(self, token):
        return consteq(self._ack_token(), token or "")

    def _ack_url(self):
        base = self.get_base_url()
        return f"{base}/supply-notice/ack/{self.id}/{self._ack_token()}"

    def _acknowledge(self, by):
        """Record the acknowledgement once; False when it was already recorded."""
        self.ensure_one()
        if self.acknowledged:
            return False
        self.write({"acknowledged": True, "acknowledged_on": fields.Datetime.now(),
                    "acknowledged_by": by or self.contact_id.name or self.partner_id.name})
        self.notice_id.message_post(body=self.env._("%(customer)s acknowledged the notice.",
                                                    customer=self.partner_id.name))
        return True

    def _send(self):
        """Queue one email per recipient (never sent inline) and log it on the customer."""
        template = self.env.ref("crm_industrial.mail_template_supply_notice")
        sendable = self.filtered(lambda recipient: recipient.channel == "email" and recipient.email)
        (self - sendable).filtered(lambda recipient: recipient.channel == "email").send_status = "failed"
        for lang, recipients in sendable.grouped("lang").items():
            template.with_context(lang=lang or self.env.lang).send_mail_batch(recipients.ids, force_send=False)
        sendable.write({"send_status": "sent", "sent_date": fields.Date.context_today(self)})
        if sendable:
            sendable.partner_id._message_log_batch(bodies={
                recipient.partner_id.id: self.env._("Supply notice %(ref)s sent: %(title)s",
                                                    ref=recipient.notice_id.name, title=recipient.notice_id.title)
                for recipient in sendable})
