from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, formatLang

NOTICE_TYPES = [
    ("shortage", "Shortage / allocation"),
    ("delay", "Delivery delay"),
    ("quality", "Quality incident / recall"),
    ("disaster", "Natural disaster"),
    ("policy", "Policy or regulation change"),
    ("price", "Price change"),
    ("overstock", "Customer stock above safe limit"),
    ("payment_cycle", "Payment-collection cycle"),
]
# Warnings about the customer's own side: addressed to chosen customers, not found from products.
CUSTOMER_SIDE_TYPES = ("overstock", "payment_cycle")
NOTICE_MANAGERS = "crm_industrial.group_supply_notice_manager"
# What the customers received: frozen once the notice has been published.
SENT_FIELDS = ("title", "message", "recommended_action", "notice_type", "severity", "date_from", "date_to",
               "product_ids", "product_category_ids", "company_id")
# Sane business ranges for the numbers a user types.
LOOKBACK_DAYS_MAX = 3650
REMINDER_DAYS_MAX = 365
# Publishing (README, "Background work"): a click queues the emails itself up to this many
# recipients; above it, the publishing job queues them in batches of the given size, one
# transaction each. Both can be changed with these system parameters.
PUBLISH_INLINE_PARAM, PUBLISH_INLINE_DEFAULT = "crm_industrial.notice_publish_inline_limit", 50
PUBLISH_BATCH_PARAM, PUBLISH_BATCH_DEFAULT = "crm_industrial.notice_publish_batch_size", 100
PUBLISH_CRON = "crm_industrial.ir_cron_supply_notice_publish"


class CrmSupplyNotice(models.Model):
    """An early warning to the customers a supply problem affects (DOMAIN.md §5)."""

    _name = "crm.supply.notice"
    _description = "Supply-Warning Notice"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.industrial.value.guard"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    notice_type = fields.Selection(NOTICE_TYPES, "Type", required=True, default="shortage", tracking=True)
    severity = fields.Selection([("info", "Information"), ("warning", "Warning"), ("critical", "Critical")],
                                required=True, default="warning", tracking=True)
    title = fields.Char(required=True, translate=True, tracking=True)
    message = fields.Html("Message to Customers", translate=True)
    recommended_action = fields.Text("Recommended Customer Action", translate=True)
    internal_notes = fields.Text()
    product_ids = fields.Many2many("product.product", string="Affected Products", check_company=True,
                                   context={"active_test": False})
    product_category_ids = fields.Many2many("product.category", string="Affected Categories")
    date_from = fields.Date("Effective From", required=True, tracking=True,
                            default=lambda self: self._today_for(self.env.company))
    date_to = fields.Date("Effective To", tracking=True)
    state = fields.Selection([("draft", "Draft"), ("publishing", "Publishing"), ("published", "Published"),
                              ("closed", "Closed"), ("expired", "Expired")],
                             default="draft", required=True, tracking=True, copy=False,
                             group_expand="_group_expand_states")
    lookback_days = fields.Integer("Look-back (days)", default=180,
                                   help="Customers who bought an affected product in this period are proposed.")
    tier_ids = fields.Many2many("crm.key.account.tier", string="Only Tiers",
                                help="Propose only customers of these key-account tiers. Empty: all.")
    reminder_days = fields.Integer("Remind After (days)", default=3,
                                   help="Key accounts that have not acknowledged after this many days give "
                                   "their account owner an activity.")
    recipient_ids = fields.One2many("crm.supply.notice.recipient", "notice_id", "Recipients", copy=False)
    recipient_count = fields.Integer(compute="_compute_counts")
    acknowledged_count = fields.Integer("Acknowledged", compute="_compute_counts")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    published_date = fields.Datetime("First Published On", readonly=True, copy=False,
                                     help="Set when the notice is first sent: what was sent can no longer change.")
    publish_total = fields.Integer(
        "Recipients to Queue", readonly=True, copy=False,
        help="Email recipients still to be queued when Publish was clicked.")
    publish_done = fields.Integer(
        "Recipients Queued", readonly=True, copy=False,
        help="Of the recipients to queue, those done so far: email queued, or failed for want of an address.")
    publish_progress = fields.Char("Progress", compute="_compute_publish_progress")

    def _compute_counts(self):
        # one grouped query for every notice shown, never a read of their (thousands of) recipients
        totals, acknowledged = defaultdict(int), defaultdict(int)
        for notice, is_acknowledged, count in self.env["crm.supply.notice.recipient"]._read_group(
                [("notice_id", "in", self.ids)], ["notice_id", "acknowledged"], ["__count"]):
            totals[notice.id] += count
            if is_acknowledged:
                acknowledged[notice.id] += count
        for notice in self:
            notice.recipient_count = totals[notice.id]
            notice.acknowledged_count = acknowledged[notice.id]

    @api.model
    def _group_expand_states(self, states, domain):
        """Kanban columns in workflow order (draft, publishing, published, closed, expired), not in the
        alphabetical order of the stored keys; Publishing, a passing state, only when a notice is in it."""
        return [state for state, _label in self._fields["state"].selection
                if state in states or state != "publishing"]

    @api.depends("publish_done", "publish_total")
    @api.depends_context("lang")
    def _compute_publish_progress(self):
        for notice in self:
            notice.publish_progress = self.env._(
                "%(done)s / %(total)s queued", done=formatLang(self.env, notice.publish_done, digits=0),
                total=formatLang(self.env, notice.publish_total, digits=0))

    @api.constrains("date_from", "date_to", "lookback_days", "reminder_days")
    def _check_dates(self):
        for notice in self:
            if notice.date_to and notice.date_to < notice.date_from:
                raise ValidationError(self.env._("%(ref)s ends before it starts.", ref=notice.name))
            if not 0 <= notice.lookback_days <= LOOKBACK_DAYS_MAX:
                raise ValidationError(self.env._(
                    "The look-back must be between 0 and %(max)s days.", max=LOOKBACK_DAYS_MAX))
            if not 0 <= notice.reminder_days <= REMINDER_DAYS_MAX:
                raise ValidationError(self.env._(
                    "The reminder delay must be between 0 and %(max)s days.", max=REMINDER_DAYS_MAX))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su and (vals.get("state", "draft") != "draft" or vals.get("published_date")):
                raise AccessError(self.env._("A notice is created as a draft; publish it with its button."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.supply.notice") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_write_allowed(vals)
        return super().write(vals)

    def _check_write_allowed(self, vals):
        """The state moves only through the action methods (_write_state); what the customers
        received is frozen after publishing, for everyone. No context key changes this."""
        if self.env.su:
            return
        if {"state", "published_date", "publish_total", "publish_done"} & set(vals):
            raise AccessError(self.env._(
                "The status of a notice changes only through its Publish, Close and Back to Draft buttons."))
        self._check_content_unlocked(set(vals))

    def _check_content_unlocked(self, field_names):
        changed = field_names & set(SENT_FIELDS)
        if not changed:
            return
        sent = self.filtered("published_date")
        if sent:
            raise UserError(self.env._(
                "%(refs)s has been sent to customers: %(fields)s can no longer change. "
                "Publish a new notice to correct or extend it.",
                refs=", ".join(sent.mapped("name")),
                fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in sorted(changed))))

    def _update_field_translations(self, field_name, translations, digest=None, source_lang=None):
        # The translation dialog writes translations without write(): guard it the same way.
        if not self.env.su:
            self._check_content_unlocked({field_name})
        return super()._update_field_translations(field_name, translations, digest=digest, source_lang=source_lang)

    def _write_state(self, state):
        """The one way to change the state; callers check who may do it."""
        values = {"state": state}
        if state in ("publishing", "published"):
            super(CrmSupplyNotice, self.filtered(lambda notice: not notice.published_date)).write(
                {"published_date": fields.Datetime.now()})
        return super().write(values)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.filtered("published_date"):
            raise UserError(self.env._("A notice sent to customers cannot be deleted; close it instead."))

    # ------------------------------------------------------------ targeting

    def action_find_affected_customers(self):
        """Propose every customer the notice affects; the user reviews before publishing."""
        self._ensure_one_record()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft notice can change its recipients."))
        if self.notice_type in CUSTOMER_SIDE_TYPES:
            raise UserError(self.env._("This warning is about the customer's own side: add its customers by hand."))
        if not (self.with_context(active_test=False).product_ids or self.product_category_ids):
            raise UserError(self.env._("Name the affected products or categories first."))
        known = set(self.recipient_ids.partner_id.ids)
        new_ids = [partner_id for partner_id in self._affected_customer_ids() if partner_id not in known]
        self.env["crm.supply.notice.recipient"].create([
            {"notice_id": self.id, "partner_id": partner_id} for partner_id in new_ids])
        return True

    def _affected_customer_ids(self):
        """Companies that bought an affected product in the look-back period (confirmed orders or
        posted invoices), or have an open order for one (a quotation of the period, or a confirmed
        order neither delivered nor invoiced in full), in one query. Products named on the notice
        count even when archived (a recall of a discontinued product); through categories, only
        active ones do."""
        since = fields.Date.context_today(self) - timedelta(days=self.lookback_days)
        company_key = str(self.company_id.id)
        categories = self.env["product.category"].search([("id", "child_of", self.product_category_ids.ids)]) \
            if self.product_category_ids else self.env["product.category"]
        tier_filter = SQL("TRUE") if not self.tier_ids else SQL(
            "(customer.key_account_tier_id ->> %s)::int = ANY(%s)", company_key, self.tier_ids.ids)
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            WITH product AS (
                SELECT product.id FROM product_product product
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE product.id = ANY(%(products)s)
                    OR (template.categ_id = ANY(%(categories)s) AND product.active AND template.active)
            ), buyer AS (
                SELECT partner.commercial_partner_id AS id
                  FROM sale_order_line line
                  JOIN sale_order sale ON sale.id = line.order_id
                  JOIN res_partner partner ON partner.id = sale.partner_id
                 WHERE line.product_id IN (SELECT id FROM product) AND sale.company_id = %(company)s
                   AND (sale.date_order >= %(since)s AND sale.state IN ('draft', 'sent', 'sale')
                        OR sale.state = 'sale' AND line.qty_delivered < line.product_uom_qty
                                               AND line.qty_invoiced < line.product_uom_qty)
                UNION
                SELECT move.commercial_partner_id
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE line.product_id IN (SELECT id FROM product) AND line.company_id = %(company)s
                   AND line.parent_state = 'posted' AND move.move_type = 'out_invoice' AND line.date >= %(since)s
            )
            SELECT customer.id FROM res_partner customer JOIN buyer ON buyer.id = customer.id
             WHERE customer.active AND %(tier_filter)s
             ORDER BY customer.id
        """, products=self.with_context(active_test=False).product_ids.ids, categories=categories.ids,
            company=self.company_id.id,
            since=since, tier_filter=tier_filter))
        return [row[0] for row in self.env.cr.fetchall()]

    # ---------------------------------------------------------- publishing

    def action_publish(self):
        """Send one email per recipient through the mail queue, and log it on each customer.

        The click queues the emails itself only for a small notice; a larger one turns to
        Publishing at once and the publishing job queues its recipients in batches."""
        self._check_notice_manager()
        for notice in self:
            if notice.state != "draft":
                raise UserError(self.env._("%(ref)s is not a draft.", ref=notice.name))
            if not notice.recipient_ids:
                raise UserError(self.env._("%(ref)s has no recipient yet.", ref=notice.name))
        self._write_state("publishing")  # what is sent is frozen from now on
        pending = self.env["crm.supply.notice.recipient"]._pending_counts(self)
        for notice in self:
            notice._write_progress(total=pending.get(notice.id, 0), done=0)
        inline_limit = self._publish_setting(PUBLISH_INLINE_PARAM, PUBLISH_INLINE_DEFAULT)
        small = self.filtered(lambda notice: notice.publish_total <= inline_limit)
        if small:
            self._publish_batch(limit=None, notices=small)
        if self - small:
            self.env.ref(PUBLISH_CRON)._trigger()
        return True

    # ------------------------------------------------- publishing in batches

    @api.model
    def _publish_setting(self, key, default):
        # sudo: system parameters are administrators' records; this reads one number
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(1, int(value)) if value else default
        except ValueError:
            return default

    def _write_progress(self, total=None, done=None):
        """The progress of publishing, recorded by the system (the fields are read-only)."""
        values = {name: value for name, value in (("publish_total", total), ("publish_done", done))
                  if value is not None}
        # sudo: the progress fields are closed to callers; only the publishing job writes them
        return super(CrmSupplyNotice, self.sudo()).write(values)

    @api.model
    def _cron_publish(self):
        """The publishing job: one batch per call. Odoo's cron runner commits after each call and
        calls again (up to 10 times a run, then reschedules at once) while work remains, so any
        node's cron worker takes the next batch and a crash loses at most the batch under way."""
        done, remaining = self._publish_batch(
            limit=self._publish_setting(PUBLISH_BATCH_PARAM, PUBLISH_BATCH_DEFAULT))
        self.env["ir.cron"]._report_batch(done, remaining)

    @api.model
    def _publish_batch(self, limit=PUBLISH_BATCH_DEFAULT, notices=None):
        """Queue the emails of at most `limit` pending recipients (None: all) of the notices being
        published (or of `notices`), then mark published those with nothing left to queue.

        Idempotent per recipient: a recipient is taken only while pending (no email, no failure
        recorded), under a row lock that skips recipients another worker is sending; its email and
        its new status are written in the same transaction. Returns (done, remaining)."""
        Recipient = self.env["crm.supply.notice.recipient"]
        publishing = [("state", "=", "publishing")]
        if notices is not None:
            publishing.append(("id", "in", notices.ids))
        # sudo: the job runs for every company's notices; the click already checked the manager
        notices = self.sudo().search(publishing)
        batch = Recipient.sudo()._lock_pending(notices, limit)
        batch._send()
        for notice, sent in batch.grouped("notice_id").items():
            notice._write_progress(done=notice.publish_done + len(sent))
        pending = Recipient._pending_counts(notices)
        finished = notices.filtered(lambda notice: not pending.get(notice.id))
        finished._write_state("published")
        return len(batch), sum(pending.values())

    def action_close(self):
        self._check_notice_manager()
        for notice in self:
            if notice.state != "published":
                raise UserError(self.env._("%(ref)s is not published.", ref=notice.name))
        self._write_state("closed")
        return True

    def action_reset_draft(self):
        self._check_notice_manager()
        self.filtered(lambda notice: notice.state == "closed")._write_state("draft")
        return True

    def action_resend_failed(self):
        """Send again every recipient whose email failed (notice managers only)."""
        self._check_notice_manager()
        self.recipient_ids.filtered(lambda recipient: recipient.send_status == "failed").action_resend()
        return True

    def _check_notice_manager(self):
        if not self.env.su and not self.env.user.has_group(NOTICE_MANAGERS):
            raise AccessError(self.env._("Only supply-notice managers can publish or close a notice."))

    def _company_today(self):
        """Today in the notice's company (its address's time zone), whoever asks."""
        self.ensure_one()
        return self._today_for(self.company_id)

    @api.model
    def _today_for(self, company, tz=None):
        """The one 'today' of notices: the company's local date (a user's or the server's time zone
        would start or end a notice a day early or late around midnight). `tz`: the time zone of the
        company's address when the caller read it already."""
        return fields.Date.context_today(self.with_context(tz=tz or company.partner_id.tz or "UTC"))

    def _is_in_effect(self, day=None):
        self.ensure_one()
        day = day or self._company_today()
        return self.state == "published" and self.date_from <= day and (not self.date_to or day <= self.date_to)

    @api.model
    def _in_effect_with_products(self):
        """[(notice id, company id, ids of its affected products, parent paths of its affected
        categories)] of the notices in effect that the user reads, in one query: a quotation's
        banner reads them on every opening (searching the notices, then their two many2many fields
        and the categories cost four), and only the notices it names are read further."""
        products, categories = self._fields["product_ids"], self._fields["product_category_ids"]
        self.flush_model(["state", "company_id", "date_from", "date_to", "product_ids", "product_category_ids"])
        self.env["product.category"].flush_model(["parent_path"])
        self.env["res.partner"].flush_model(["tz"])
        query = self._search([("state", "=", "published")])
        notice = SQL.identifier(query.table, "id")
        rows = self.env.execute_query(query.select(
            notice, SQL.identifier(query.table, "company_id"), SQL.identifier(query.table, "date_from"),
            SQL.identifier(query.table, "date_to"),
            SQL("ARRAY(SELECT rel.%s FROM %s rel WHERE rel.%s = %s)", SQL.identifier(products.column2),
                SQL.identifier(products.relation), SQL.identifier(products.column1), notice),
            SQL("""ARRAY(SELECT category.parent_path FROM %s rel
                           JOIN product_category category ON category.id = rel.%s WHERE rel.%s = %s)""",
                SQL.identifier(categories.relation), SQL.identifier(categories.column2),
                SQL.identifier(categories.column1), notice),
            # the time zone of the company's address, for its 'today' (_today_for)
            SQL("""(SELECT address.tz FROM res_company company
                      JOIN res_partner address ON address.id = company.partner_id
                     WHERE company.id = %s)""", SQL.identifier(query.table, "company_id"))))
        days = {}
        in_effect = []
        for notice_id, company_id, date_from, date_to, product_ids, paths, tz in rows:
            if company_id not in days:
                days[company_id] = self._today_for(self.env["res.company"].browse(company_id), tz=tz or "UTC")
            day = days[company_id]
            # _is_in_effect, on the values just read
            if date_from and date_from <= day and (not date_to or day <= date_to):
                in_effect.append((notice_id, company_id, set(product_ids), tuple(paths)))
        return in_effect

    @api.model
    def _in_effect_domain(self):
        today = self._today_for(self.env.company)
        return [("state", "=", "published"), ("date_from", "<=", today),
                "|", ("date_to", "=", False), ("date_to", ">=", today)]

    @api.model
    def _cron_expire(self):
        published = self.search([("state", "=", "published"), ("date_to", "!=", False)])
        published.filtered(lambda notice: notice.date_to < notice._company_today())._write_state("expired")

    @api.model
    def _cron_remind(self):
        """One activity for the account owner of each key account that has not acknowledged in time."""
        recipients = self.env["crm.supply.notice.recipient"].search([
            ("notice_id.state", "=", "published"), ("acknowledged", "=", False), ("reminded", "=", False),
            ("send_status", "in", ("queued", "sent"))])
        late = recipients.filtered(
            lambda recipient: recipient.sent_date + timedelta(days=recipient.notice_id.reminder_days)
            <= recipient.notice_id._company_today())
        due = late.browse()
        for company, company_late in late.grouped(lambda recipient: recipient.notice_id.company_id).items():
            # The tier is per company: read it for all of the company's customers at once (sudo: the
            # reminder job runs for every company; only whether each recipient is a key account is used).
            key_account_ids = set(company_late.partner_id.with_company(company).sudo().filtered(
                lambda partner: partner.key_account_tier_id.is_key_account).ids)
            due |= company_late.filtered(lambda recipient: recipient.partner_id.id in key_account_ids)  # noqa: B023
        for recipient in due:
            recipient.partner_id._schedule_account_activity(
                "crm_industrial.mail_activity_type_supply_notice_reminder",
                self.env._("%(customer)s has not acknowledged %(notice)s (%(title)s).",
                           customer=recipient.partner_id.name, notice=recipient.notice_id.name,
                           title=recipient.notice_id.title))
        due._write_protected({"reminded": True})
