import hashlib
import secrets

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config, consteq

from ..tools.mail_failure import FAILURE_KINDS, failure_kind

NOTICE_MANAGERS = "crm_industrial.group_supply_notice_manager"
# Set only by the acknowledgement, the sending and the daily job, never by a user's write().
PROTECTED_FIELDS = ("acknowledged", "acknowledged_on", "acknowledged_by", "reminded", "sent_date", "mail_id",
                    "ack_token_hash", "send_error_local")
# Who and how: fixed once the notice went out (a notice manager may correct a failed address before resending).
ADDRESS_FIELDS = ("notice_id", "partner_id", "contact_id", "email", "channel")
MAIL_STATUS = {"outgoing": "queued", "sent": "sent", "received": "sent", "exception": "failed", "cancel": "failed"}
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
    _inherit = ["crm.industrial.value.guard"]
    _description = "Supply-Notice Recipient"
    _order = "notice_id, id"
    _rec_name = "partner_id"

    notice_id = fields.Many2one("crm.supply.notice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 domain=[("is_company", "=", True)])
    contact_id = fields.Many2one("res.partner", "Addressed To", compute="_compute_contact_id", store=True,
                                 readonly=False, domain="[('parent_id', '=', partner_id)]",
                                 help="The buying-center contact best placed for this kind of notice.")
    email = fields.Char(compute="_compute_email", store=True, readonly=False)
    channel = fields.Selection([("email", "Email"), ("phone", "Phone"), ("visit", "Visit")],
                               default="email", required=True)
    send_status = fields.Selection([("pending", "Pending"), ("queued", "Queued"), ("sent", "Sent"),
                                    ("failed", "Failed")], compute="_compute_send_status", store=True,
                                   help="Follows the email itself: queued in the mail queue, sent to the mail "
                                   "server, or failed (with the reason).")
    send_failure = fields.Selection(
        FAILURE_KINDS, "Failure Reason", compute="_compute_send_status", store=True,
        help="Why the email failed, in plain words: no outgoing mail server set up (Settings, Technical, "
        "Outgoing Mail Servers), the mail server could not be reached, the recipient's server refused the "
        "address, or the address is invalid. The mail server's own message is in Technical Details.")
    send_error = fields.Text("Technical Details", compute="_compute_send_status", store=True,
                             help="The mail server's own message about the failure, for the administrator.")
    send_error_local = fields.Char("Queueing Error", copy=False, help="Why the email could not even be queued.")
    sent_date = fields.Date("Queued On", copy=False)
    # The email itself: mail.mail is an administrators' model; only its status is shown here.
    mail_id = fields.Many2one("mail.mail", "Sent Email", copy=False, index="btree_not_null", ondelete="set null",
                              groups="base.group_system")
    # sha256 of the acknowledgement token: the token itself exists only in the email sent.
    ack_token_hash = fields.Char("Acknowledgement Token Hash", copy=False, groups="base.group_system")
    acknowledged = fields.Boolean(copy=False)
    acknowledged_on = fields.Datetime(copy=False)
    acknowledged_by = fields.Char(copy=False)
    reminded = fields.Boolean(copy=False)
    lang = fields.Selection(related="partner_id.lang")

    _sql_constraints = [
        ("notice_partner_unique", "UNIQUE(notice_id, partner_id)", "A customer receives a notice once."),
    ]

    @api.depends("mail_id.state", "mail_id.failure_reason", "mail_id.failure_type", "send_error_local", "sent_date",
                 "channel")
    def _compute_send_status(self):
        server_configured = None
        for recipient in self:
            mail = recipient.mail_id
            kind = False
            if mail:
                status = MAIL_STATUS.get(mail.state, "queued")
                error = (mail.failure_reason or self.env._("The email was cancelled.")) \
                    if status == "failed" else False
                if status == "failed" and mail.state == "cancel":
                    kind = "cancelled"
                elif status == "failed":
                    if server_configured is None:
                        server_configured = self._has_mail_server()
                    kind = failure_kind(mail.failure_type, mail.failure_reason, server_configured)
            elif recipient.send_error_local:
                status, error, kind = "failed", recipient.send_error_local, "missing_address"
            elif recipient.sent_date:
                status, error = "sent", False  # the email was sent, then removed from the mail queue
            else:
                status, error = "pending", False
            recipient.send_status, recipient.send_error, recipient.send_failure = status, error, kind

    @api.model
    def _has_mail_server(self):
        """Whether an outgoing mail server is set up: a record, or a server other than this machine
        in the configuration file (without either, Odoo tries localhost, which refuses)."""
        # sudo: mail servers are administrators' records; only whether one exists is read
        return bool(self.env["ir.mail_server"].sudo().search_count([], limit=1)) \
            or config.get("smtp_server") not in (None, False, "", "localhost", "127.0.0.1")

    @api.depends("partner_id", "notice_id.notice_type")
    def _compute_contact_id(self):
        roles = {role: self.env.ref(f"crm_industrial.crm_buying_role_{role}", raise_if_not_found=False)
                 for role in {*DEFAULT_CONTACT_ROLES, *(r for rs in CONTACT_ROLES.values() for r in rs)}}
        for recipient in self:
            if recipient._is_sent():
                continue  # keep who it was addressed to
            contacts = recipient.partner_id.child_ids.filtered(lambda contact: contact.email)
            wanted = CONTACT_ROLES.get(recipient.notice_id.notice_type, DEFAULT_CONTACT_ROLES)
            recipient.contact_id = next(
                (contact for role in wanted for contact in contacts
                 if roles[role] and roles[role] in contact.buying_role_ids),
                recipient.partner_id.browse())

    @api.depends("contact_id.email", "partner_id.email")
    def _compute_email(self):
        for recipient in self:
            if recipient._is_sent():
                continue  # keep the address the notice went to
            recipient.email = recipient.contact_id.email or recipient.partner_id.email

    def _is_sent(self):
        """Whether this notice already went (or tried to go) to this customer."""
        self.ensure_one()
        # sudo: mail_id is an administrators' field; only whether an email exists is used here.
        return bool(self.id and (self.sent_date or self.send_error_local or self.sudo().mail_id))

    # ------------------------------------------------------------ guards

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if set(vals) & set(PROTECTED_FIELDS):
                    raise AccessError(self.env._(
                        "Sending and acknowledgement details are recorded by the system, not typed in."))
            notices = self.env["crm.supply.notice"].browse(
                # a value of another type is refused by the value guard in create()
                list({vals["notice_id"] for vals in vals_list if isinstance(vals.get("notice_id"), int)}))
            if notices.filtered(lambda notice: notice.state != "draft"):
                raise UserError(self.env._("Recipients can be added only while the notice is a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_write_allowed(set(vals))
        return super().write(vals)

    def _check_write_allowed(self, field_names):
        if field_names & set(PROTECTED_FIELDS):
            raise AccessError(self.env._(
                "Sending and acknowledgement details are recorded by the system, not typed in: "
                "only the customer acknowledges a notice."))
        if not field_names & set(ADDRESS_FIELDS):
            return
        locked = self.filtered(lambda recipient: recipient.notice_id.state != "draft" or recipient._is_sent())
        if not locked:
            return
        is_manager = self.env.user.has_group(NOTICE_MANAGERS)
        correctable = {"contact_id", "email"}
        if is_manager and field_names <= correctable and all(
                recipient.send_status == "failed" for recipient in locked):
            return  # a notice manager corrects a failed address before resending
        raise UserError(self.env._(
            "%(customers)s already received this notice: who it was sent to can no longer change.",
            customers=", ".join(locked.partner_id.mapped("display_name"))))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.env.su:
            return
        if self.filtered(lambda recipient: recipient.notice_id.state != "draft" or recipient._is_sent()):
            raise UserError(self.env._("A recipient of a notice already sent cannot be removed."))

    def _write_protected(self, vals):
        """The one way to record sending, reminders and acknowledgements; callers decide when.

        sudo: mail_id and ack_token_hash are administrators' fields (the email and the hash of its
        secret); the system records them for whoever triggered the sending."""
        return super(CrmSupplyNoticeRecipient, self.sudo()).write(vals)

    # ---------------------------------------------------- acknowledgement

    def _check_ack_token(self, token):
        self.ensure_one()
        # Reading the stored hash (administrators' field) to compare with the link's token.
        expected = self.sudo().ack_token_hash
        return bool(expected and token) and consteq(expected, self._hash_token(token))

    @staticmethod
    def _hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def _ack_path(self, token):
        return f"/supply-notice/ack/{self.id}/{token}"

    def _acknowledge(self, by):
        """Record the acknowledgement once; False when it was already recorded."""
        self.ensure_one()
        if self.acknowledged:
            return False
        self._write_protected({"acknowledged": True, "acknowledged_on": fields.Datetime.now(),
                               "acknowledged_by": by or self.contact_id.name or self.partner_id.name})
        # for the seller's staff who follow the notice: in its author's language, not the language of
        # the customer's browser that opened the link
        staff_env = self.with_context(lang=self.notice_id.create_uid.lang or self.env.lang).env
        self.notice_id.message_post(body=staff_env._("%(customer)s acknowledged the notice.",
                                                     customer=self.partner_id.name))
        return True

    # ------------------------------------------------------------ sending

    @api.model
    def _pending_domain(self, notices):
        """Recipients of these notices still to be emailed: nothing queued, nothing failed yet."""
        return [("notice_id", "in", notices.ids), ("channel", "=", "email"), ("send_status", "=", "pending")]

    @api.model
    def _pending_counts(self, notices):
        """{notice id: recipients still to be emailed}, in one query."""
        if not notices:
            return {}
        # sudo: counts only, of notices the caller already reads (the pending recipients of another
        # salesperson's customers count too: the notice's progress is the notice's, not the reader's)
        groups = self.sudo()._read_group(self._pending_domain(notices), ["notice_id"], ["__count"])
        return {notice.id: count for notice, count in groups}

    @api.model
    def _lock_pending(self, notices, limit):
        """At most `limit` (None: all) pending recipients of these notices, locked for this
        transaction; rows another worker has locked are skipped, so two workers never email the
        same recipient, and a recipient emailed in a committed batch is no longer pending."""
        if not notices:
            return self.browse()
        query = self._search(self._pending_domain(notices), order="id", limit=limit)
        rows = self.env.execute_query(SQL("%s FOR UPDATE OF %s SKIP LOCKED",
                                          query.select(), SQL.identifier(self._table)))
        return self.browse([row[0] for row in rows])


    def action_resend(self):
        """Send a failed email again, with a new link (notice managers only)."""
        if not self.env.su and not self.env.user.has_group(NOTICE_MANAGERS):
            raise AccessError(self.env._("Only supply-notice managers can send a notice again."))
        for recipient in self:
            if recipient.send_status != "failed":
                raise UserError(self.env._("The notice to %(customer)s did not fail: it is not sent again.",
                                           customer=recipient.partner_id.display_name))
            if recipient.notice_id.state != "published":
                raise UserError(self.env._("%(ref)s is not published.", ref=recipient.notice_id.name))
        # mail.mail is an administrators' model: cancel the failed emails so that nobody retries
        # them from the mail queue next to the new ones (their links stop working anyway).
        self.sudo().mail_id.filtered(lambda mail: mail.state == "exception").write({"state": "cancel"})
        self._send()
        return True

    def _send(self):
        """Queue one email per recipient (never sent inline) and log it on the customer.

        Each email carries a fresh random acknowledgement token; only its hash is stored, so the
        link exists only in the email: no internal user can render or read a valid one."""
        template = self.env.ref("crm_industrial.mail_template_supply_notice")
        sendable = self.filtered(lambda recipient: recipient.channel == "email" and recipient.email)
        (self - sendable).filtered(lambda recipient: recipient.channel == "email")._write_protected(
            {"send_error_local": self.env._("No email address."), "mail_id": False})
        for (lang, company), recipients in sendable.grouped(lambda r: (r.lang, r.company_id)).items():
            today = self.env["crm.supply.notice"]._today_for(company)
            sender = company.email_formatted or self.env.user.email_formatted
            tokens = {recipient.id: secrets.token_urlsafe(32) for recipient in recipients}
            urls = {recipient.id: recipient.get_base_url() + recipient._ack_path(tokens[recipient.id])
                    for recipient in recipients}
            # Rendered and queued as the system (OdooBot): the email holds the link, so it must not
            # be readable back by its sender or through the recipient record (no model/res_id).
            mails = template.with_user(SUPERUSER_ID).with_context(
                lang=lang or self.env.lang, supply_notice_ack_urls=urls,
            ).send_mail_batch(recipients.ids, force_send=False, email_values={
                "model": False, "res_id": False, "author_id": company.partner_id.id,
                **({"email_from": sender} if sender else {})})
            for recipient, mail in zip(recipients, mails, strict=False):
                recipient._write_protected({
                    "mail_id": mail.id, "ack_token_hash": self._hash_token(tokens[recipient.id]),
                    "sent_date": today, "send_error_local": False})
        if sendable:
            sendable.partner_id._message_log_batch(bodies={
                # in the language of the customer's account owner, who reads its chatter
                recipient.partner_id.id: recipient.partner_id._owner_env()._(
                    "Supply notice %(ref)s sent: %(title)s", ref=recipient.notice_id.name,
                    title=recipient.notice_id.title)
                for recipient in sendable})
