from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.dates import next_birthday

DECISION_POWERS = [
    ("decides", "Decides"),
    ("approves", "Approves"),
    ("influences", "Influences"),
    ("uses", "Uses"),
    ("informs", "Informs"),
]
ATTITUDES = [
    ("champion", "Champion"),
    ("supporter", "Supporter"),
    ("neutral", "Neutral"),
    ("skeptic", "Skeptic"),
    ("opponent", "Opponent"),
]
RELATIONSHIP_STRENGTHS = [
    ("0", "Not rated"),
    ("1", "Distant"),
    ("2", "Acquainted"),
    ("3", "Working"),
    ("4", "Trusted"),
    ("5", "Close"),
]
PREFERRED_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("chat", "Instant messaging (e.g. WeChat)"),
    ("visit", "Visit"),
]
PERSONAL = "crm_industrial.group_buying_center_personal"
INTERNAL = "base.group_user"


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The buying center: who decides, approves and influences a customer's purchases."""

    _inherit = "res.partner"

    # On the customer's people
    buying_role_ids = fields.Many2many(
        "crm.buying.role", "res_partner_crm_buying_role_rel", "partner_id", "role_id",
        "Buying Roles", groups=INTERNAL)
    decision_power = fields.Selection(
        DECISION_POWERS, groups=INTERNAL, tracking=True,
        help="What this person does in a purchase decision.")
    approval_limit = fields.Monetary(
        currency_field="currency_id", groups=INTERNAL,
        help="The largest purchase this person approves alone, in your company's currency.")
    attitude = fields.Selection(
        ATTITUDES, groups=INTERNAL, tracking=True, help="This person's stance towards us.")
    relationship_strength = fields.Selection(
        RELATIONSHIP_STRENGTHS, groups=INTERNAL, default="0",
        help="How well we know this person, from 1 (distant) to 5 (close).")
    reports_to_id = fields.Many2one(
        "res.partner", groups=INTERNAL, index="btree_not_null",
        domain="[('parent_id', '=', parent_id), ('is_company', '=', False), ('id', '!=', id)]")
    report_ids = fields.One2many("res.partner", "reports_to_id", "Direct Reports", groups=INTERNAL)
    preferred_channel = fields.Selection(PREFERRED_CHANNELS, groups=INTERNAL)
    # Personal data is not copied: Duplicate must work for people outside the group,
    # and a duplicate is another person.
    birthdate_date = fields.Date("Birthdate", groups=PERSONAL, copy=False)
    hobbies = fields.Char(groups=PERSONAL, copy=False)
    personality_notes = fields.Text(groups=PERSONAL, copy=False)
    birthday_reminded_date = fields.Date(
        groups=PERSONAL, copy=False, readonly=True,
        help="The birthday for which the account owner was last reminded.")
    last_contact_date = fields.Date(
        compute="_compute_contact_activity", groups=INTERNAL,
        help="Last interaction recorded in Odoo: a message or email on this contact or from "
        "them, a done activity, or a past meeting they attended.")
    is_going_cold = fields.Boolean(
        "Going Cold", compute="_compute_contact_activity", search="_search_is_going_cold",
        groups=INTERNAL, help="Holds a buying role and was not contacted for longer than the "
        "role allows.")

    # On the customer company
    buying_center_ids = fields.One2many(
        "res.partner", "parent_id", groups=INTERNAL,
        domain=[("buying_role_ids", "!=", False), ("is_company", "=", False)])
    buying_center_coverage = fields.Float(
        "Coverage (%)", compute="_compute_buying_center_coverage", store=True,
        aggregator="avg", groups=INTERNAL,
        help="Share of the key buying roles held by at least one active contact of the company.")
    missing_key_role_ids = fields.Many2many(
        "crm.buying.role", "res_partner_missing_key_role_rel", "partner_id", "role_id",
        "Missing Key Roles", compute="_compute_buying_center_coverage", store=True, groups=INTERNAL)
    buying_center_weak = fields.Boolean(
        "Low Coverage", compute="_compute_buying_center_weak", search="_search_buying_center_weak",
        groups=INTERNAL, help="Coverage below the threshold set in the settings.")
    going_cold_contact_ids = fields.Many2many(
        "res.partner", compute="_compute_contact_activity", groups=INTERNAL, string="Contacts Going Cold",
        help="The company's contacts holding a buying role who were not contacted for longer than "
        "their role allows.")
    going_cold_summary = fields.Char(
        compute="_compute_contact_activity", groups=INTERNAL,
        help="Who is going cold and since when: each contact with the days since they were last reached.")
    single_threaded = fields.Boolean(
        "Single-threaded", compute="_compute_contact_activity", search="_search_single_threaded",
        groups=INTERNAL, help="One person holds every buying role, or all recent contact "
        "went through one person: the relationship hangs on a single thread.")

    # ------------------------------------------------------------ computes

    def _compute_contact_activity(self):
        """Last contact, going cold and single-threaded read the same interactions: one query for
        the partners and their companies' contacts, one for the buying roles' limits (the
        customer form shows them all at once)."""
        companies = self.filtered(lambda partner: partner.is_company and partner.id)
        contacts = companies.child_ids
        ids = list({*self.ids, *contacts.ids})
        last_contacts, cold_ids = self._contact_activity_of(ids)
        cold = self.browse(cold_ids)
        now = fields.Datetime.now()
        since = now - timedelta(days=self._recent_contact_days())
        for partner in self:
            last = last_contacts.get(partner.id)
            partner.last_contact_date = last and last.date()
            partner.is_going_cold = partner in cold
            # from the contacts as listed (their rows read together, once), not from `cold`: its
            # records would be read apart
            partner_cold = partner.child_ids.filtered(
                lambda contact: contact in cold and not contact.is_company) \
                if partner in companies else self.browse()
            partner.going_cold_contact_ids = partner_cold
            partner.going_cold_summary = ", ".join(
                self.env._("%(name)s (%(days)s days)", name=contact.name,
                           days=(now - last_contacts[contact.id]).days) if contact.id in last_contacts
                else self.env._("%(name)s (never reached)", name=contact.name)
                for contact in partner_cold) or False
            partner.single_threaded = partner in companies and partner._is_single_threaded(last_contacts, since)
        self._cache_contact_activity(contacts - self, last_contacts, cold)

    def _cache_contact_activity(self, contacts, last_contacts, cold):
        """The same values for the companies' people (`contacts`), from the interactions already
        read: the form lists them with their last contact and whether they go cold, which would
        otherwise read the interactions again."""
        people = contacts.filtered(lambda contact: not contact.is_company)
        if not people:
            return
        cache, fields_ = self.env.cache, self._fields
        cache.update(people, fields_["last_contact_date"],
                     [last_contacts[person.id].date() if person.id in last_contacts else False for person in people])
        cache.update(people, fields_["is_going_cold"], [person in cold for person in people])
        # people are no companies: no contacts of their own going cold, no thread of their own
        cache.update(people, fields_["going_cold_contact_ids"], [()] * len(people))
        cache.update(people, fields_["going_cold_summary"], [False] * len(people))
        cache.update(people, fields_["single_threaded"], [False] * len(people))

    def _is_single_threaded(self, last_contacts, since):
        with_roles = self.child_ids.filtered("buying_role_ids")
        recently_contacted = [contact for contact in self.child_ids
                              if last_contacts.get(contact.id) and last_contacts[contact.id] >= since]
        return bool(with_roles) and (len(with_roles) == 1 or len(recently_contacted) == 1)

    def _search_is_going_cold(self, operator, value):
        return self._bool_search(operator, value, self._going_cold_ids())

    @api.depends("is_company", "company_id", "child_ids.buying_role_ids", "child_ids.active")
    def _compute_buying_center_coverage(self):
        # sudo: the role catalogue is configuration, the same for every user
        key_roles = self.env["crm.buying.role"].sudo().search([("key_role", "=", True)])
        for partner in self:
            roles = key_roles.filtered(
                lambda role: not role.company_id or role.company_id == partner.company_id)  # noqa: B023
            if not partner.is_company or not roles:
                partner.buying_center_coverage = 0.0
                partner.missing_key_role_ids = False
                continue
            missing = roles - partner.child_ids.buying_role_ids
            partner.buying_center_coverage = 100.0 * (len(roles) - len(missing)) / len(roles)
            partner.missing_key_role_ids = missing

    def _compute_buying_center_weak(self):
        threshold = self._coverage_threshold()
        for partner in self:
            partner.buying_center_weak = partner.is_company and partner.buying_center_coverage < threshold

    def _search_buying_center_weak(self, operator, value):
        weak = [("is_company", "=", True), ("buying_center_coverage", "<", self._coverage_threshold())]
        return weak if (operator == "=") == bool(value) else ["!", *weak]

    def _search_single_threaded(self, operator, value):
        """The definition of _is_single_threaded, in one query over every company."""
        self.env.flush_all()
        since = fields.Datetime.now() - timedelta(days=self._recent_contact_days())
        self.env.cr.execute(SQL("""
            WITH child AS (
                SELECT child.id, child.parent_id,
                       EXISTS (SELECT 1 FROM res_partner_crm_buying_role_rel held
                                 JOIN crm_buying_role role ON role.id = held.role_id AND role.active
                                WHERE held.partner_id = child.id) AS has_role
                  FROM res_partner child
                  JOIN res_partner company ON company.id = child.parent_id AND company.is_company
                 WHERE child.active
            ), recent AS (
                SELECT DISTINCT partner_id FROM (%(interactions)s) AS interaction
                 WHERE contact_date >= %(since)s
            )
            SELECT child.parent_id FROM child LEFT JOIN recent ON recent.partner_id = child.id
             GROUP BY child.parent_id
            HAVING COUNT(*) FILTER (WHERE child.has_role) = 1
                OR (COUNT(*) FILTER (WHERE child.has_role) > 1 AND COUNT(recent.partner_id) = 1)
        """, since=since, interactions=self._interactions_sql(SQL("IN (SELECT id FROM child)"))))
        return self._bool_search(operator, value, [row[0] for row in self.env.cr.fetchall()])

    # ---------------------------------------------------------- constraints

    @api.constrains("reports_to_id", "parent_id")
    def _check_reports_to(self):
        for partner in self.filtered("reports_to_id"):
            if partner.reports_to_id.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(contact)s can only report to someone of the same company.",
                    contact=partner.display_name))
        if self._has_cycle("reports_to_id"):
            raise ValidationError(self.env._("A reporting line cannot loop back on itself."))

    @api.constrains("approval_limit")
    def _check_approval_limit(self):
        if any(partner.approval_limit < 0 for partner in self):
            raise ValidationError(self.env._("An approval limit cannot be negative."))

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        if "parent_id" in vals:
            moving = self.filtered(lambda partner: partner.parent_id.id != vals["parent_id"])
            # Reporting lines stay inside one company: a contact who moves leaves them.
            (moving.report_ids - self).write({"reports_to_id": False})
            if moving and "reports_to_id" not in vals:
                vals = {**vals, "reports_to_id": False}
        return super().write(vals)

    # --------------------------------------------------------------- actions

    def action_open_buying_center_by_role(self):
        self._ensure_one_record()
        return self._contacts_action(
            self.env._("Buying Center of %(company)s", company=self.display_name), ["list", "form"],
            [("parent_id", "=", self.id), ("buying_role_ids", "!=", False)], group_by="buying_role_ids")

    def action_open_organisation_chart(self):
        self._ensure_one_record()
        return self._contacts_action(
            self.env._("Organisation of %(company)s", company=self.display_name), ["hierarchy", "list", "form"],
            [("parent_id", "=", self.id), ("is_company", "=", False)])

    def _contacts_action(self, name, view_types, domain, group_by=None):
        """A window on this company's people, with the buying-center list and org chart views."""
        views = {"hierarchy": "crm_industrial.res_partner_view_hierarchy",
                 "list": "crm_industrial.res_partner_buying_center_view_list"}
        context = {"default_parent_id": self.id, "default_is_company": False}
        if group_by:
            context["group_by"] = group_by
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "res.partner",
            "view_mode": ",".join(view_types),
            "views": [(self.env.ref(views[view_type]).id if view_type in views else False, view_type)
                      for view_type in view_types],
            "domain": domain,
            "context": context,
        }

    # -------------------------------------------------------------- business

    @api.model
    def _cron_schedule_birthday_reminders(self):
        """One activity for the account owner ahead of each key contact's birthday.

        A birthday is personal data: only owners in the personal-data group are reminded,
        and a record rule keeps the reminder from other users who can see the contact.
        """
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._birthday_reminder_days())
        # sudo: the daily job looks at every key contact; reminders go only to owners in the personal group
        contacts = self.sudo().search([
            ("birthdate_date", "!=", False), ("is_company", "=", False), ("parent_id", "!=", False),
            ("buying_role_ids.key_role", "=", True)])
        for contact in contacts:
            birthday = next_birthday(contact.birthdate_date, today)
            owner = contact.commercial_partner_id._account_owner()
            if (birthday > horizon or contact.birthday_reminded_date == birthday or not owner
                    or not owner.has_group(PERSONAL)):
                continue
            contact.activity_schedule(
                "crm_industrial.mail_activity_type_birthday", date_deadline=birthday,
                user_id=owner.id,
                summary=contact.commercial_partner_id._owner_env()._("Birthday of %(contact)s", contact=contact.name))
            contact.birthday_reminded_date = birthday

    def _account_owner(self):
        """Who looks after this customer: its account owner, else its salesperson."""
        self.ensure_one()
        return self.account_owner_id or self.user_id

    @api.model
    def _recompute_buying_center_coverage(self):
        """Recompute every company's coverage, after the key roles changed."""
        companies = self.with_context(active_test=False).search([("is_company", "=", True)])
        for field_name in ("buying_center_coverage", "missing_key_role_ids"):
            self.env.add_to_compute(self._fields[field_name], companies)
        companies.flush_recordset(["buying_center_coverage", "missing_key_role_ids"])

    @api.model
    def _interactions_sql(self, scope):
        """Rows (partner_id, contact_date) of the recorded interactions of the partners in `scope`
        (SQL: "= ANY(ids)" or "IN (subquery)"): a message or email on this partner or from them,
        a done activity, a past meeting they attended."""
        return SQL("""
            SELECT res_id AS partner_id, date AS contact_date
              FROM mail_message
             WHERE model = 'res.partner' AND res_id %(scope)s
               AND (message_type IN ('email', 'comment', 'email_outgoing') OR mail_activity_type_id IS NOT NULL)
            UNION ALL
            SELECT author_id, date
              FROM mail_message
             WHERE author_id %(scope)s AND message_type IN ('email', 'comment')
            UNION ALL
            SELECT attendee.res_partner_id, event.start
              FROM calendar_event event
              JOIN calendar_event_res_partner_rel attendee ON attendee.calendar_event_id = event.id
             WHERE attendee.res_partner_id %(scope)s AND event.active AND event.start <= %(now)s
        """, scope=scope, now=fields.Datetime.now())

    @api.model
    def _last_contacts(self, partner_ids):
        """{partner id: datetime of their last recorded interaction}, in one query."""
        if not partner_ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT partner_id, MAX(contact_date) FROM (%s) AS interaction GROUP BY partner_id",
            self._interactions_sql(SQL("= ANY(%s)", list(partner_ids)))))
        return dict(self.env.cr.fetchall())

    @api.model
    def _contact_activity_of(self, partner_ids):
        """({partner id: datetime of their last recorded interaction}, ids of those going cold) of
        `partner_ids`, in one query: what _last_contacts and _going_cold_ids find, read together
        for the customer form."""
        if not partner_ids:
            return {}, []
        self.env.flush_all()
        rows = self.env.execute_query(SQL("""
            WITH last AS (SELECT partner_id, MAX(contact_date) AS contact_date
                            FROM (%(interactions)s) AS interaction GROUP BY partner_id),
                 holder AS (%(holders)s AND partner.id = ANY(%(ids)s) GROUP BY partner.id)
            SELECT partner.id, last.contact_date, holder.create_date, holder.days
              FROM unnest(%(ids)s::int[]) AS partner(id)
              LEFT JOIN last ON last.partner_id = partner.id
              LEFT JOIN holder ON holder.id = partner.id
        """, interactions=self._interactions_sql(SQL("= ANY(%s)", list(partner_ids))),
            holders=self._role_holders_sql(), ids=list(partner_ids)))
        last_contacts = {partner_id: last for partner_id, last, _created, _days in rows if last}
        now = fields.Datetime.now()
        cold_ids = [partner_id for partner_id, last, created, days in rows
                    if days is not None and (last or created) < now - timedelta(days=days)]
        return last_contacts, cold_ids

    @api.model
    def _going_cold_ids(self, partner_ids=None, last_contacts=None):
        """Ids of the contacts holding a buying role who were not contacted in time, among
        `partner_ids` (given `last_contacts` of these partners, they are not read again), or
        among everyone in one query."""
        self.env.flush_all()
        if partner_ids is None:
            return self._all_going_cold_ids()
        self.env.cr.execute(SQL("%s AND partner.id = ANY(%s) GROUP BY partner.id",
                                self._role_holders_sql(), list(partner_ids)))
        thresholds = self.env.cr.fetchall()
        if last_contacts is None:
            last_contacts = self._last_contacts([partner_id for partner_id, *_ in thresholds])
        now = fields.Datetime.now()
        return [
            partner_id for partner_id, created, days in thresholds
            if (last_contacts.get(partner_id) or created) < now - timedelta(days=days)
        ]

    @api.model
    def _role_holders_sql(self):
        """Active contacts holding an active buying role that goes cold: (id, create_date, days)."""
        return SQL("""
            SELECT partner.id, partner.create_date, MIN(role.cold_after_days) AS days
              FROM res_partner partner
              JOIN res_partner_crm_buying_role_rel held ON held.partner_id = partner.id
              JOIN crm_buying_role role ON role.id = held.role_id
             WHERE partner.active AND role.active AND role.cold_after_days > 0
        """)

    @api.model
    def _all_going_cold_ids(self):
        self.env.cr.execute(SQL("""
            WITH holder AS (%(holders)s GROUP BY partner.id),
                 last AS (SELECT partner_id, MAX(contact_date) AS contact_date
                            FROM (%(interactions)s) AS interaction GROUP BY partner_id)
            SELECT holder.id FROM holder LEFT JOIN last ON last.partner_id = holder.id
             WHERE COALESCE(last.contact_date, holder.create_date) < %(now)s - holder.days * INTERVAL '1 day'
        """, holders=self._role_holders_sql(), now=fields.Datetime.now(),
            interactions=self._interactions_sql(SQL("IN (SELECT id FROM holder)"))))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _bool_search(self, operator, value, ids):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This filter only supports 'is set' and 'is not set'."))
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    def _config_int(self, key, default, low, high):
        """A setting of this addon; the default when it is unreadable, bounded to [low, high]
        (system parameters can be edited without the settings' checks)."""
        # sudo: system parameters are readable by administrators only; these are settings.
        value = self.env["ir.config_parameter"].sudo().get_param(f"crm_industrial.{key}", default)
        try:
            value = int(value)
        except (TypeError, ValueError):
            return default
        return min(max(value, low), high)

    def _coverage_threshold(self):
        return self._config_int("coverage_threshold", 60, 0, 100)

    def _recent_contact_days(self):
        return self._config_int("recent_contact_days", 90, 1, 3650)

    def _birthday_reminder_days(self):
        return self._config_int("birthday_reminder_days", 7, 0, 365)
