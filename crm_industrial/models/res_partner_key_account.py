from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .crm_key_account_stat import BENEFIT_INDEX_HELP, DEVELOPMENT_INDEX_HELP
from .res_partner_visit import VISIT_COLUMNS

INTERNAL = "base.group_user"
SALES_USERS = "sales_team.group_sale_salesman"
TIER_MANAGERS = "sales_team.group_sale_manager"
TIER_FIELDS = {"key_account_tier_id", "tier_locked", "tier_lock_reason"}
# A click recomputes at most this many customers; the nightly job covers everyone.
RECOMPUTE_LIMIT = 200
# Orders given their first tier by a tier change itself; beyond, the order-tier job fills them in
# batches (README, "Background work"): the first classification of a large customer base touches
# every order ever made.
ORDER_TIER_INLINE = 2000
ORDER_TIER_BATCH = 20000
ORDER_TIER_CRON = "crm_industrial.ir_cron_fill_order_tiers"


def _figure(field_class, name, string, **kwargs):
    """A read-only partner field showing the current company's figure `name`, searchable."""

    def search(records, operator, value):
        stats = records.env["crm.key.account.stat"]._search([
            ("company_id", "=", records.env.company.id), (name, operator, value)])
        return [("id", "in", stats.subselect("partner_id"))]

    return field_class(string, compute="_compute_key_account_figures", search=search, groups=INTERNAL, **kwargs)


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """Key-account tier and value figures of a customer, for the current company."""

    _inherit = "res.partner"

    key_account_tier_id = fields.Many2one(
        "crm.key.account.tier", "Key-Account Tier", company_dependent=True, groups=INTERNAL, copy=False,
        help="Set by the nightly classification, unless a sales manager locked it.")
    tier_locked = fields.Boolean(
        company_dependent=True, groups=INTERNAL, copy=False,
        help="The classification leaves a locked tier as it is.")
    tier_lock_reason = fields.Char("Lock Reason", company_dependent=True, groups=INTERNAL, copy=False)
    key_account_inactive = fields.Boolean(
        "Inactive Customer", compute="_compute_key_account_inactive", groups=INTERNAL,
        help="The customer is in the inactive tier of the current company (no posted invoice and no "
        "confirmed order for the inactivity period): it is on the Inactive list, and the warnings meant "
        "for customers we work with (order overdue, key roles nobody holds or not involved in a deal, "
        "single-threaded) are not shown.")
    tier_history_ids = fields.One2many(
        "crm.key.account.tier.history", "partner_id", groups=INTERNAL,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    tier_history_count = fields.Integer(
        "Tier Changes", compute="_compute_record_counts", groups=INTERNAL,
        help="Changes of the customer's tier in the current company, listed by the Tier History button.")
    revenue_12m = _figure(fields.Monetary, "revenue_12m", "Revenue (12 months)", currency_field="currency_id")
    revenue_prev_12m = _figure(fields.Monetary, "revenue_prev_12m", "Revenue (previous 12 months)",
                               currency_field="currency_id")
    revenue_growth = _figure(fields.Float, "revenue_growth", "Growth (%)")
    gross_margin_12m = _figure(fields.Monetary, "gross_margin_12m", "Gross Margin (12 months)",
                               currency_field="currency_id")
    gross_margin_rate = _figure(fields.Float, "gross_margin_rate", "Margin (%)")
    revenue_share = _figure(fields.Float, "revenue_share", "Revenue Share (%)")
    cumulative_share = _figure(fields.Float, "cumulative_share", "Cumulative Share (%)")
    order_count_12m = _figure(fields.Integer, "order_count_12m", "Orders (12 months)")
    purchase_cycle_days = _figure(fields.Float, "purchase_cycle_days", "Purchase Cycle (days)")
    last_order_date = _figure(fields.Date, "last_order_date", "Last Order")
    next_order_expected = _figure(fields.Date, "next_order_expected", "Next Order Expected")
    order_overdue = _figure(fields.Boolean, "order_overdue", "Order Overdue")
    late_payment_share = _figure(fields.Float, "late_payment_share", "Late Payments (%)")
    development_index = _figure(fields.Float, "development_index", "Development Index", help=DEVELOPMENT_INDEX_HELP)
    benefit_index = _figure(fields.Float, "benefit_index", "Benefit Index", help=BENEFIT_INDEX_HELP)

    @api.depends("key_account_tier_id")
    @api.depends_context("company")
    def _compute_key_account_inactive(self):
        """The one answer to "do we still work with this customer?" for the warnings of the
        customer form and its opportunities; the order-overdue figure follows the same rule in the
        classification (crm.key.account.stat)."""
        for partner in self:
            partner.key_account_inactive = partner.key_account_tier_id.is_inactive

    @api.depends_context("company")
    def _compute_key_account_figures(self):
        """Every key-account figure, the visit plan's dates (res_partner_visit.py), the credit
        figures and the current credit rating (res_partner_credit.py), whether the customer has a
        quality specification (res_partner_spec.py) of these partners in one
        query, put in the cache for all of them at once: the customer form and lists read them all,
        and each family read apart cost a query more."""
        Stat = self.env["crm.key.account.stat"]
        names = Stat._figure_columns()[1:]
        visit_names = VISIT_COLUMNS
        credit_names = self._credit_figure_names()
        company = self.env.company.id
        # one row per partner, in order; the credit figures are those of its commercial partner
        ids = [partner._origin.id or 0 for partner in self]
        customer_ids = [partner.commercial_partner_id._origin.id or 0 for partner in self]
        rows = [()] * len(self)
        if any(ids) or any(customer_ids):
            Stat.flush_model(names)
            self.env["crm.visit.plan"].flush_model(visit_names)
            self.env["crm.customer.credit.stat"].flush_model(credit_names)
            self.env["crm.credit.rating"].flush_model(["partner_id", "company_id", "is_current", "grade",
                                                      "review_date"])
            self.env["crm.customer.spec"].flush_model(["partner_id", "company_id", "active"])
            # the figures of customers the user can read, for the current company only; internal
            # users (the fields' group) may read these rows anyway
            rows = [row[1:] for row in self.env.execute_query(SQL(
                """SELECT partner.n, EXISTS (
                              SELECT 1 FROM crm_customer_spec spec
                               WHERE spec.partner_id = partner.customer_id AND spec.company_id = %(company)s
                                 AND spec.active),
                          %(stat_columns)s, %(plan_columns)s, %(credit_columns)s,
                          rating.grade, rating.review_date
                     FROM unnest(%(ids)s::int[], %(customer_ids)s::int[]) WITH ORDINALITY
                          AS partner(id, customer_id, n)
                     LEFT JOIN crm_key_account_stat stat
                            ON stat.partner_id = partner.id AND stat.company_id = %(company)s
                     LEFT JOIN crm_visit_plan plan
                            ON plan.partner_id = partner.id AND plan.company_id = %(company)s
                     LEFT JOIN crm_customer_credit_stat credit
                            ON credit.partner_id = partner.customer_id AND credit.company_id = %(company)s
                     LEFT JOIN LATERAL (
                           SELECT current.grade, current.review_date FROM crm_credit_rating current
                            WHERE current.partner_id = partner.customer_id AND current.company_id = %(company)s
                              AND current.is_current
                            ORDER BY current.date DESC, current.id DESC LIMIT 1) AS rating ON TRUE
                    ORDER BY partner.n""",
                stat_columns=SQL(", ").join(SQL.identifier("stat", name) for name in names),
                plan_columns=SQL(", ").join(SQL.identifier("plan", name) for name in visit_names),
                credit_columns=SQL(", ").join(SQL.identifier("credit", name) for name in credit_names),
                ids=ids, customer_ids=customer_ids, company=company))]
        # whether the customer has a quality specification here (res_partner_spec.py)
        self.env.cache.update(self, self._fields["has_quality_spec"], [bool(row and row[0]) for row in rows])
        rows = [row[1:] for row in rows]
        for index, name in enumerate([*names, *visit_names]):
            field = self._fields[name]
            empty = field.convert_to_cache(False, self)
            values = [row[index] if row else None for row in rows]
            # the values come from the tables as stored: no conversion, no business logic
            self.env.cache.update(self, field, [empty if value is None else value for value in values])
        offset = len(names) + len(visit_names)
        self._cache_credit_figures(credit_names, [row[offset:] if row else () for row in rows], customer_ids)

    @api.constrains("tier_locked", "tier_lock_reason")
    def _check_tier_lock_reason(self):
        for partner in self:
            if partner.tier_locked and not (partner.tier_lock_reason or "").strip():
                raise ValidationError(self.env._("Say why the tier of %(customer)s is locked.",
                                                 customer=partner.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in TIER_FIELDS):
            self._check_tier_manager()
        # The tier's payment term and credit limit are proposals (credit_terms_proposal): a credit
        # controller accepts or changes them; a tier never writes them on the customer.
        partners = super().create(vals_list)
        with_tier = self.browse([
            partner.id for partner, vals in zip(partners, vals_list, strict=False) if vals.get("key_account_tier_id")])
        if with_tier:
            with_tier._log_tier_changes(
                {partner: self.env["crm.key.account.tier"] for partner in with_tier},
                None, automatic=False)
        return partners

    def write(self, vals):
        """People change tiers by hand; only sales managers may. The classification writes
        through _write_tiers(automatic=True), which no caller can reach over RPC."""
        if TIER_FIELDS & set(vals):
            self._check_tier_manager()
        old_tiers = self._tiers_before_write(vals)
        result = super().write(vals)
        self._log_tier_write(vals, old_tiers, automatic=False)
        return result

    def _write_tiers(self, vals, automatic, old_tiers=None):
        """Write tiers and log their changes; `old_tiers` ({partner: tier}) when the caller
        already knows them (the classification reads them with the changes to make)."""
        if old_tiers is None:
            old_tiers = self._tiers_before_write(vals)
        result = super().write(vals)
        self._log_tier_write(vals, old_tiers, automatic)
        return result

    def _write_classified_tiers(self, new_tier_ids):
        """Write the company's tiers of these partners ({partner id: tier id}) in one UPDATE, as
        the ORM writes a company-dependent field (a tier equal to the field's default for a company,
        or none, is not kept), then tell the ORM what changed. The ORM's write does the same 100
        partners at a time (200 UPDATEs for a first classification of 20,000 customers) and goes
        through res.partner's write for nothing: no field follows this one there (no tracking, no
        commercial-field sync, no constraint on it)."""
        field = self._fields["key_account_tier_id"]
        self.flush_recordset(["key_account_tier_id"])
        ids = list(new_tier_ids)
        self.env.cr.execute(SQL("""
            UPDATE res_partner partner
               SET key_account_tier_id = (
                       SELECT jsonb_object_agg(d.key, d.value)
                         FROM jsonb_each(COALESCE(partner.key_account_tier_id, '{}'::jsonb)
                                         || jsonb_build_object(%(company)s, change.tier_id)) d
                         JOIN jsonb_each(%(fallbacks)s::jsonb) f ON d.key = f.key AND d.value != f.value),
                   write_uid = %(uid)s, write_date = %(now)s
              FROM unnest(%(ids)s::int[], %(tiers)s::int[]) AS change(id, tier_id)
             WHERE partner.id = change.id
        """, company=str(self.env.company.id), uid=self.env.uid, now=self.env.cr.now(), ids=ids,
            tiers=[new_tier_ids[partner_id] or None for partner_id in ids],
            fallbacks=self.env["ir.default"]._get_field_column_fallbacks(self._name, field.name)))
        partners = self.browse(ids)
        partners.invalidate_recordset([field.name, "write_uid", "write_date"])
        partners.modified([field.name])
        # the tiers just written, in the cache of the current company as the ORM's write leaves
        # them: read again, they would fetch every company-dependent field of 20,000 partners
        tiered = partners.browse([partner_id for partner_id in ids if new_tier_ids[partner_id]])
        self.env.cache.update(tiered, field, [new_tier_ids[partner_id] for partner_id in tiered.ids])

    def _tiers_before_write(self, vals):
        return {partner: partner.key_account_tier_id for partner in self} if "key_account_tier_id" in vals else {}

    def _log_tier_write(self, vals, old_tiers, automatic):
        if old_tiers:
            self._log_tier_changes(old_tiers, vals.get("tier_lock_reason"), automatic)

    @api.model
    def _set_classified_tiers(self, new_tier_ids, old_tier_ids):
        """The classification's write: each customer of `new_tier_ids` ({partner id: tier id}) gets
        that tier for the current company (`old_tier_ids`: {partner id: id of the tier it had}, read
        with the changes to make). One write per tier, then every change logged at once: one
        history INSERT, one INSERT of chatter notes, one batch of activities, one fill of orders.

        sudo: the tier is the result of the company's classification rule, not a choice of
        the user who started the recompute, who may not edit customers (or tiers) at all.
        """
        partners = self.sudo()
        changed = partners.browse(list(new_tier_ids))
        changed._write_classified_tiers(new_tier_ids)
        Tier = self.env["crm.key.account.tier"]
        changed._log_tier_changes(
            {partner: Tier.browse(old_tier_ids.get(partner.id)) for partner in changed}, None, automatic=True)

    def _check_tier_manager(self):
        if not self.env.su and not self.env.user.has_group(TIER_MANAGERS):
            raise AccessError(self.env._("Only sales managers can change or lock a customer's tier."))

    def _log_tier_changes(self, old_tiers, reason, automatic):
        """History, a chatter note, and an activity when the customer drops a tier; written in
        the account owner's language (reason: the lock reason typed, else the default one)."""
        new_tiers = {partner: partner.key_account_tier_id for partner in self}
        changed = self.browse([partner.id for partner in self if new_tiers[partner] != old_tiers[partner]])
        if not changed:
            return
        # The texts depend on the language and the two tiers only: written once per combination.
        envs = changed._owner_envs()
        by_change, texts = {}, {}
        for partner in changed:
            key = (envs[partner].lang, old_tiers[partner], new_tiers[partner])
            if key not in by_change:
                change = partner.with_env(envs[partner])._tier_change_texts(old_tiers[partner], reason, automatic)
                change["note"] = Markup("%s<br/>%s") % (change["change"], change["reason"])
                by_change[key] = change
            texts[partner] = by_change[key]
        company_id = self.env.company.id
        # sudo: the history is written by the tier change itself; nobody creates it by hand
        self.env["crm.key.account.tier.history"].sudo()._insert_changes([{
            "partner_id": partner.id, "company_id": company_id, "old_tier_id": old_tiers[partner].id,
            "new_tier_id": new_tiers[partner].id, "automatic": bool(automatic), "reason": texts[partner]["reason"],
        } for partner in changed])
        changed._fill_untiered_orders()
        changed._log_notes({partner.id: texts[partner]["note"] for partner in changed})
        dropped = changed.filtered(lambda partner: old_tiers[partner] and (
            not new_tiers[partner] or new_tiers[partner].sequence > old_tiers[partner].sequence))
        dropped._schedule_account_activities("crm_industrial.mail_activity_type_tier_drop", {
            partner: partner.with_env(envs[partner])._tier_drop_text(old_tiers[partner]) for partner in dropped})

    def _log_notes(self, bodies):
        """One internal note per customer, as _message_log_batch writes them (by the current user,
        no notification, no follower), in one INSERT: the first classification logs one on each of
        thousands of customers, which mail.message's create() would process one by one (about
        1 ms each). The bodies are HTML built here from escaped texts."""
        if not bodies:
            return
        author_id, email_from = self._message_compute_author(None, None, raise_on_email=False)
        now = fields.Datetime.now()
        self.env.cr.execute(SQL("""
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, is_internal, author_id,
                                      email_from, reply_to, message_id, email_add_signature, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, note.res_id, note.body, 'notification', %(subtype)s, TRUE, %(author)s,
                   %(email_from)s, %(reply_to)s, %(message_id)s, FALSE, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(res_ids)s::int[], %(bodies)s::text[]) AS note(res_id, body)
        """, model=self._name, subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            author=author_id or None, email_from=email_from or None,
            reply_to=self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False] or None,
            message_id=generate_tracking_message_id("message-notify"), now=now, uid=self.env.uid,
            res_ids=list(bodies), bodies=[str(body) for body in bodies.values()]))
        self.env["mail.message"].invalidate_model()
        self.browse(list(bodies)).invalidate_recordset(["message_ids"])

    def _tier_change_texts(self, old, reason, automatic):
        """What the chatter and the activity say of a tier change, in the language of this
        record's environment (the owner's: see _owner_envs)."""
        env = self.env
        old, new = old.with_env(env), self.key_account_tier_id.with_env(env)
        none = env._("none")
        return {
            "reason": reason or (env._("Classification") if automatic else env._("Set by hand")),
            "change": env._("Key-account tier: %(old)s → %(new)s", old=old.name or none, new=new.name or none),
        }

    def _tier_drop_text(self, old):
        """The activity's text when the customer drops from `old`, in the language of this
        record's environment (the owner's: see _owner_envs)."""
        env = self.env
        old, new = old.with_env(env), self.key_account_tier_id.with_env(env)
        none = env._("none")
        return env._("%(customer)s dropped from %(old)s to %(new)s.", customer=self.name,
                     old=old.name or none, new=new.name or none)

    def _owner_env(self):
        """The environment in the language of who reads what the addon writes on this customer
        (chatter notes, activities): its account owner (see _reader_lang)."""
        self.ensure_one()
        return self.with_context(lang=self._reader_lang(self._account_owner())).env

    def _reader_lang(self, owner):
        """The account owner's language; without an owner, the company's (who opens the customer
        reads it), else the environment's."""
        return owner.lang or self.env.company.partner_id.lang or self.env.lang

    def _owner_envs(self):
        """{partner: _owner_env()} of these partners, one environment per language: the
        classification writes for thousands of customers at once."""
        envs, langs, result = {}, {}, {}
        if len(self) > 1:
            # the two fields only: the first access would fetch every column of 1,000 partners at a time
            self.fetch(["account_owner_id", "user_id"])
        for partner in self:
            owner = partner._account_owner()
            if owner.id not in langs:
                langs[owner.id] = self._reader_lang(owner)
            lang = langs[owner.id]
            if lang not in envs:
                envs[lang] = self.with_context(lang=lang).env
            result[partner] = envs[lang]
        return result

    def _fill_untiered_orders(self):
        """Orders of these customers that still show no tier in this company (made before their
        first tier) get the tier in force at their date, now that there is one: up to
        ORDER_TIER_INLINE at once, the others by the order-tier job."""
        if self and self._fill_order_tiers(ORDER_TIER_INLINE, self) == ORDER_TIER_INLINE:
            self.env.ref(ORDER_TIER_CRON)._trigger()

    @api.model
    def _cron_fill_order_tiers(self):
        """The order-tier job: one batch per call, until no order left without its tier."""
        done = self._fill_order_tiers(ORDER_TIER_BATCH)
        remaining = self._untiered_orders().search_count(self._untiered_orders_domain()) \
            if done == ORDER_TIER_BATCH else 0
        self.env["ir.cron"]._report_batch(done, remaining)

    @api.model
    def _untiered_orders(self):
        # sudo: the orders' stored tier is derived data, whoever changed the customer's tier
        return self.env["sale.order"].sudo()

    @api.model
    def _untiered_orders_domain(self, customers=None):
        """Orders without a tier of `customers` in the current company, or of every customer
        with a tier history in the order's company."""
        if customers is not None:
            return [("key_account_tier_id", "=", False), ("company_id", "=", self.env.company.id),
                    ("partner_id.commercial_partner_id", "in", customers.ids)]
        # sudo: which customers have a history, for the derived data above
        history = self.env["crm.key.account.tier.history"].sudo()
        return [("key_account_tier_id", "=", False),
                ("partner_id.commercial_partner_id", "in", history._search([]).subselect("partner_id"))]

    @api.model
    def _fill_order_tiers(self, limit, customers=None):
        """Compute the stored tier of at most `limit` orders without one (see
        _untiered_orders_domain): the orders' own compute, the tier in force at their date from
        the tier history. Returns how many got a tier. Idempotent: an order is taken only while
        it has no tier."""
        orders = self._untiered_orders().search(self._untiered_orders_domain(customers), limit=limit)
        if not orders:
            return 0
        self.env.add_to_compute(orders._fields["key_account_tier_id"], orders)
        orders.flush_recordset(["key_account_tier_id"])
        return len(orders.filtered("key_account_tier_id"))

    def _schedule_account_activity(self, activity_type_xmlid, note):
        """An activity for the account owner, unless one of that type is already open; its summary
        (the activity type's) in the owner's language, as the note."""
        self.ensure_one()
        self._schedule_account_activities(activity_type_xmlid, {self: note})

    def _schedule_account_activities(self, activity_type_xmlid, notes):
        """_schedule_account_activity for many customers at once ({partner: note}), as
        activity_schedule() makes them, created in one call per owner's language: the customers
        without an account owner, or with an open activity of that type already, get none."""
        notes = {partner: note for partner, note in notes.items() if partner._account_owner()}
        if not notes or self.env.context.get("mail_activity_automation_skip"):
            return
        activity_type = self.env.ref(activity_type_xmlid)
        partners = self.browse([partner.id for partner in notes])
        busy = {activity.res_id for activity in partners.activity_ids if activity.activity_type_id == activity_type}
        envs = partners._owner_envs()
        model_id = self.env["ir.model"]._get(self._name).id
        by_env = {}
        for partner, note in notes.items():
            if partner.id in busy:
                continue
            owner = partner._account_owner()
            env = envs[partner]
            kind = activity_type.with_env(env)
            by_env.setdefault(env, []).append({
                "activity_type_id": kind.id, "summary": kind.summary, "automated": True,
                "note": note or kind.default_note, "date_deadline": fields.Date.context_today(partner),
                "res_model_id": model_id, "res_id": partner.id,
                "user_id": owner.id,
            })
        for env, vals_list in by_env.items():
            env["mail.activity"].create(vals_list)

    def action_recompute_key_account(self):
        """Recompute the figures and tiers of these customers (button and list action).

        Only for salespeople, on customers they can read, and at most RECOMPUTE_LIMIT at once:
        the nightly job recomputes everyone.
        """
        if not self.env.su and not (self.env.user._is_internal() and self.env.user.has_group(SALES_USERS)):
            raise AccessError(self.env._("Only salespeople can recompute key-account figures."))
        self.check_access("read")
        customers = self.commercial_partner_id
        if len(customers) > RECOMPUTE_LIMIT:
            raise UserError(self.env._(
                "Recompute at most %(limit)s customers at once; the nightly job recomputes them all.",
                limit=RECOMPUTE_LIMIT))
        if customers:
            self.env["crm.key.account.stat"]._recompute(customers)
        return True
