from odoo import api, fields, models
from odoo.tools import SQL, format_date

VISIT_TYPE = "crm_industrial.mail_activity_type_visit"
EXECUTIVE_VISIT_TYPE = "crm_industrial.mail_activity_type_executive_visit"
LAST_VISIT_HELP = (
    "The day of the customer's last real visit: a past meeting in the calendar with the customer or one "
    "of its contacts as attendee, or a done Visit or Executive Visit activity on the customer or a contact.")


class CrmVisitPlan(models.Model):
    """When each customer with a visit plan (its tier's visit frequency) was last visited and is
    due again, per company. Written in bulk by the daily job (one query per company), never typed;
    kept off res.partner like the key-account figures."""

    _name = "crm.visit.plan"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Customer Visit Plan"
    _order = "next_visit_due, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    tier_id = fields.Many2one("crm.key.account.tier")
    user_id = fields.Many2one("res.users", "Account Owner")
    visit_frequency_days = fields.Integer("Visit Every (days)", help="From the customer's tier.")
    last_visit_date = fields.Date("Last Visit", help=LAST_VISIT_HELP)
    next_visit_due = fields.Date(
        help="Last visit plus the tier's visit frequency. A customer never visited is due from the day it "
        "entered the plan.")
    visit_overdue = fields.Boolean(
        help="The next visit was due before today. A visit due today is due, not yet overdue.")
    overdue_days = fields.Integer("Days Overdue", help="Days since the next visit was due; 0 while not overdue.")
    last_executive_visit_date = fields.Date(
        "Last Executive Visit", help="The last meeting marked as an executive visit, or done Executive Visit activity.")
    executive_visit_due = fields.Boolean(
        help="The customer's tier plans executive visits and none took place within the tier's executive-visit "
        "interval.")
    overdue_notified = fields.Boolean(help="The account owner has an activity for the overdue visit.")
    executive_notified = fields.Boolean(
        help="The account owner has an Executive Visit activity to plan the visit of one of our executives.")

    _sql_constraints = [
        ("partner_company_unique", "UNIQUE(partner_id, company_id)", "One visit plan per customer and company."),
    ]

    @api.model
    def _cron_refresh(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company)._refresh(company)

    def action_refresh(self):
        """Button of the list: refresh the current company's plan now."""
        self._check_back_office_action()
        self._refresh(self.env.company)
        return True

    @api.model
    def _refresh(self, company, partners=None):
        """Rewrite the plan of `company` (of these customer companies only, when given) in one
        statement, then give the account owners of newly overdue customers one activity each."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        scope = SQL("TRUE") if partners is None else SQL("rp.id = ANY(%s)", partners.commercial_partner_id.ids)
        visit_type = self.env.ref(VISIT_TYPE, raise_if_not_found=False)
        executive_type = self.env.ref(EXECUTIVE_VISIT_TYPE, raise_if_not_found=False)
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            WITH customers AS (
                SELECT rp.id AS partner_id, tier.id AS tier_id, tier.visit_frequency_days AS frequency,
                       tier.executive_visit_days AS executive_days,
                       COALESCE(rp.account_owner_id, rp.user_id) AS user_id
                  FROM res_partner rp
                  JOIN crm_key_account_tier tier
                    ON tier.id = (rp.key_account_tier_id ->> %(company_key)s)::int
                 WHERE rp.active AND rp.parent_id IS NULL AND tier.visit_frequency_days > 0 AND %(scope)s
            ), visits AS (
                SELECT contact.commercial_partner_id AS partner_id, ev.start::date AS day,
                       COALESCE(ev.is_executive_visit, FALSE) AS executive
                  FROM calendar_event ev
                  JOIN calendar_event_res_partner_rel rel ON rel.calendar_event_id = ev.id
                  JOIN res_partner contact ON contact.id = rel.res_partner_id
                 WHERE ev.active AND ev.start <= %(now)s
                   AND contact.commercial_partner_id IN (SELECT partner_id FROM customers)
                UNION ALL
                SELECT contact.commercial_partner_id, msg.date::date, msg.mail_activity_type_id = %(executive_type)s
                  FROM mail_message msg
                  JOIN res_partner contact ON msg.model = 'res.partner' AND contact.id = msg.res_id
                 WHERE msg.mail_activity_type_id IN %(visit_types)s AND msg.date <= %(now)s
                   AND contact.commercial_partner_id IN (SELECT partner_id FROM customers)
            ), last_visits AS (
                SELECT partner_id, MAX(day) AS last_day, MAX(day) FILTER (WHERE executive) AS last_executive
                  FROM visits GROUP BY partner_id
            ), plan AS (
                -- never visited: due from the day the customer entered the plan (kept from the last
                -- refresh), so that it falls overdue the day after, not on the day it becomes due
                SELECT c.partner_id, c.tier_id, c.user_id, c.frequency, v.last_day, v.last_executive,
                       COALESCE(v.last_day + c.frequency,
                                LEAST(CASE WHEN old.last_visit_date IS NULL THEN old.next_visit_due END,
                                      %(today)s::date),
                                %(today)s::date) AS due,
                       CASE WHEN c.executive_days > 0
                            THEN v.last_executive IS NULL OR v.last_executive + c.executive_days < %(today)s::date
                            ELSE FALSE END AS executive_due
                  FROM customers c LEFT JOIN last_visits v ON v.partner_id = c.partner_id
                  LEFT JOIN crm_visit_plan old ON old.partner_id = c.partner_id AND old.company_id = %(company)s
            )
            INSERT INTO crm_visit_plan (partner_id, company_id, tier_id, user_id, visit_frequency_days,
                                        last_visit_date, next_visit_due, visit_overdue, overdue_days,
                                        last_executive_visit_date, executive_visit_due, overdue_notified,
                                        executive_notified, create_uid, create_date, write_uid, write_date)
            SELECT partner_id, %(company)s, tier_id, user_id, frequency, last_day, due,
                   due < %(today)s::date, GREATEST(%(today)s::date - due, 0),
                   last_executive, executive_due, FALSE, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM plan
            ON CONFLICT (partner_id, company_id) DO UPDATE SET
                tier_id = EXCLUDED.tier_id, user_id = EXCLUDED.user_id,
                visit_frequency_days = EXCLUDED.visit_frequency_days, last_visit_date = EXCLUDED.last_visit_date,
                next_visit_due = EXCLUDED.next_visit_due, visit_overdue = EXCLUDED.visit_overdue,
                overdue_days = EXCLUDED.overdue_days, last_executive_visit_date = EXCLUDED.last_executive_visit_date,
                executive_visit_due = EXCLUDED.executive_visit_due,
                -- a customer visited again is asked for again when it next falls overdue
                overdue_notified = crm_visit_plan.overdue_notified AND EXCLUDED.visit_overdue,
                -- an executive visit made (or no longer planned) asks again when the next one is due
                executive_notified = crm_visit_plan.executive_notified AND EXCLUDED.executive_visit_due,
                write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
        """, company=company.id, company_key=str(company.id), scope=scope, now=now, today=today, uid=self.env.uid,
            executive_type=executive_type.id if executive_type else None,
            visit_types=tuple(t.id for t in (visit_type, executive_type) if t) or (0,)))
        # customers who lost their plan (tier without visits, archived, ...) leave the list
        self.env.cr.execute(SQL("""
            DELETE FROM crm_visit_plan plan USING res_partner rp
             WHERE plan.partner_id = rp.id AND plan.company_id = %(company)s AND %(scope)s
               AND NOT (rp.active AND rp.parent_id IS NULL AND EXISTS (
                   SELECT 1 FROM crm_key_account_tier tier
                    WHERE tier.id = (rp.key_account_tier_id ->> %(company_key)s)::int
                      AND tier.visit_frequency_days > 0))
        """, company=company.id, company_key=str(company.id), scope=scope))
        self.invalidate_model()
        # the partners show the plan through non-stored fields, which any of the customer's
        # figures may have read (res_partner_key_account.py): drop what they cached
        # (res_partner_visit.py, VISIT_COLUMNS)
        self.env["res.partner"].invalidate_model(
            ["last_visit_date", "next_visit_due", "visit_overdue", "executive_visit_due"])
        self._notify_overdue(company, partners)
        self._plan_executive_visits(company, partners)

    @api.model
    def _notify_overdue(self, company, partners=None):
        """One "visit the customer" activity for the account owner of each newly overdue customer."""
        self._remind_owners(company, partners, "visit_overdue", "overdue_notified", VISIT_TYPE,
                            type(self)._overdue_note)

    @api.model
    def _plan_executive_visits(self, company, partners=None):
        """One Executive Visit activity for the account owner of each customer whose tier plans executive
        visits and is due one: done, it is the executive visit the plan counts."""
        self._remind_owners(company, partners, "executive_visit_due", "executive_notified", EXECUTIVE_VISIT_TYPE,
                            type(self)._executive_note)

    @api.model
    def _remind_owners(self, company, partners, condition, flag, activity_type, note_of):
        """One activity of `activity_type` for the account owner of each plan where `condition` holds and
        `flag` is not set yet, its note by `note_of(plan, partner, env)` in the owner's language; the
        activities are made in one batch (_schedule_account_activities: the once rule kept)."""
        domain = [("company_id", "=", company.id), (condition, "=", True), (flag, "=", False)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        # sudo: the job runs for whoever refreshed; the activity goes to the account owner
        plans = self.sudo().search(domain)
        customers = plans.partner_id.with_company(company)
        envs = customers._owner_envs()
        customers._schedule_account_activities(activity_type, {
            plan.partner_id.with_company(company): note_of(plan, plan.partner_id.with_company(company),
                                                           envs[plan.partner_id])
            for plan in plans})
        plans.write({flag: True})

    def _overdue_note(self, partner, env):
        if self.last_visit_date:
            return env._("%(customer)s was last visited on %(date)s: a visit was due on %(due)s.",
                         customer=partner.name, date=format_date(env, self.last_visit_date),
                         due=format_date(env, self.next_visit_due))
        return env._("%(customer)s has no recorded visit: plan one (every %(days)s days for its tier).",
                     customer=partner.name, days=self.visit_frequency_days)

    def _executive_note(self, partner, env):
        tier = self.tier_id.with_env(env).name
        if self.last_executive_visit_date:
            return env._("%(customer)s (%(tier)s): one of our executives last visited on %(date)s; "
                         "plan the next executive visit.", customer=partner.name, tier=tier,
                         date=format_date(env, self.last_executive_visit_date))
        return env._("%(customer)s (%(tier)s) has had no visit by one of our executives: plan one.",
                     customer=partner.name, tier=tier)
