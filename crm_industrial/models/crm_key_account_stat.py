from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

# Working lists (DOMAIN.md §3): thresholds of the lists a sales manager works from.
PROMISING_GROWTH = 30  # % revenue growth over the previous 12 months
DECLINING_GROWTH = -10  # % revenue change over the previous 12 months
LOW_MARGIN = 10  # % gross margin
LATE_PAYER = 25  # % of invoices paid late
LOW_BENEFIT = 75  # benefit index
DECLINING_HELP = (
    "Active customers (any tier but inactive) who bought from us in the last 24 months and whose "
    "revenue over the last 12 months fell by 10% or more, or whose next order is overdue: call "
    "them before they leave. Never promising. A low-value customer can also be high upkeep: then "
    "weigh whether to keep it. Your own companies are left out.")
HIGH_UPKEEP_HELP = (
    "Customers outside the key-account and inactive tiers, with revenue over the last 12 months, "
    "that are costly to serve whatever their growth: gross margin under 10%, or 25% or more of "
    "their invoices paid late, or a benefit index under 75 (late payments, complaints). Review "
    "their prices, payment terms and service level. Never promising. Customers without revenue "
    "and your own companies are left out.")
PROMISING_HELP = (
    "Customers outside the key-account and inactive tiers whose revenue over the last 12 months "
    "grew by 30% or more, that are not costly to serve (margin of 10% or more, fewer than 25% of "
    "invoices paid late, benefit index of 75 or more) and whose next order is not overdue: "
    "candidates for a higher tier and more attention. Never high upkeep nor declining. Customers "
    "without revenue and your own companies are left out.")
INACTIVE_HELP = (
    "Customers of the inactive tier (no posted invoice and no confirmed order for the company's "
    "inactivity period) who bought from us in the last 24 months: win them back or let them go. "
    "In no other working list. Your own companies are left out.")

# The two customer-value indices (DOMAIN.md §3), 0 to 100, shown to users in the field help.
DEVELOPMENT_INDEX_HELP = (
    "Does the customer grow with us? 60% revenue growth over the previous 12 months "
    "(-100% … +100% mapped to 0 … 1, no previous revenue counts as 0%) + 40% ordering "
    "frequency (confirmed orders in 12 months / 12, at most 1), times 100.")
BENEFIT_INDEX_HELP = (
    "What our supply brings the customer, over the last 12 months, from 0 to 100: the average "
    "of (1) the share of its invoices paid by their due date (late payment is the silent "
    "complaint), (2) the share of its orders without a complaint, and (3) its satisfaction "
    "ratings after complaints (1 to 5 mapped to 0 to 100) when it gave any.")


class CrmKeyAccountStat(models.Model):
    """A customer's figures for one company, written in bulk by the nightly recompute.

    They live here rather than on res.partner so that the recompute never rewrites the
    partner table, which users edit all day: a partner is written only when its tier changes.
    """

    _name = "crm.key.account.stat"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Key-Account Figures"
    _order = "revenue_12m desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one("crm.key.account.tier", "Computed Tier", index=True,
                              help="The tier the company's classification rule gives the customer.")
    applied_tier_id = fields.Many2one("crm.key.account.tier", "Tier",
                                      help="The customer's tier: the computed one unless it is locked.")
    user_id = fields.Many2one("res.users", "Salesperson")
    industry_id = fields.Many2one("res.partner.industry")
    country_id = fields.Many2one("res.country")
    state_id = fields.Many2one("res.country.state", "Region")
    revenue_12m = fields.Monetary(
        "Revenue (12 months)", help="Posted invoices minus credit notes, untaxed, in company currency.")
    revenue_prev_12m = fields.Monetary("Revenue (previous 12 months)")
    revenue_growth = fields.Float(
        "Growth (%)", help="Revenue change over the previous 12 months; empty when there was none.")
    gross_margin_12m = fields.Monetary(
        "Gross Margin (12 months)", help="Revenue minus the cost of the products invoiced.")
    gross_margin_rate = fields.Float("Margin (%)", aggregator="avg", help="Gross margin over revenue, last 12 months.")
    revenue_share = fields.Float("Revenue Share (%)", aggregator="sum")
    cumulative_share = fields.Float(
        "Cumulative Share (%)", aggregator="max",
        help="Share of the total revenue made by this customer and all customers ranked above it.")
    order_count_12m = fields.Integer(
        "Orders (12 months)", help="Confirmed sales orders dated in the last 12 months, invoiced or not. A customer "
        "with a confirmed order or a posted invoice in the inactivity period is not inactive.")
    purchase_cycle_days = fields.Float("Purchase Cycle (days)", aggregator="avg",
                                       help="Median days between confirmed orders over the last 24 months.")
    last_order_date = fields.Date()
    next_order_expected = fields.Date()
    order_overdue = fields.Boolean(
        help="No order for more than 1.5 times the customer's own purchase cycle: "
        "a customer who may be leaving. A customer of the Inactive tier is on the Inactive list instead.")
    late_payment_share = fields.Float("Late Payments (%)", aggregator="avg")
    development_index = fields.Float(aggregator="avg", help=DEVELOPMENT_INDEX_HELP)
    benefit_index = fields.Float(aggregator="avg", help=BENEFIT_INDEX_HELP)
    is_declining = fields.Boolean(
        "Declining", compute="_compute_working_lists", search="_search_is_declining", help=DECLINING_HELP)
    is_high_upkeep = fields.Boolean(
        "High Upkeep, Low Value", compute="_compute_working_lists", search="_search_is_high_upkeep",
        help=HIGH_UPKEEP_HELP)
    is_promising = fields.Boolean(
        "Promising", compute="_compute_working_lists", search="_search_is_promising", help=PROMISING_HELP)
    is_lapsed = fields.Boolean(
        "Inactive", compute="_compute_working_lists", search="_search_is_lapsed", help=INACTIVE_HELP)
    overdue_notified = fields.Boolean(help="The account owner was told the order is overdue.")
    computed_at = fields.Datetime("Figures Changed On", help="When the recompute last changed these figures.")

    _sql_constraints = [
        ("partner_company_unique", "UNIQUE(partner_id, company_id)", "One row of figures per customer and company."),
    ]

    # ---------------------------------------------------------- working lists

    @api.model
    def _working_list_domains(self):
        """The domain of each working list (see the fields' help)."""
        # sudo: every company's own partner is left out, including companies the user cannot open
        own = self.env["res.company"].sudo().search([]).partner_id.commercial_partner_id
        customer = [("partner_id", "not in", own.ids)]
        bought_24m = ["|", ("revenue_12m", ">", 0), ("revenue_prev_12m", ">", 0)]
        lower_tier = [("applied_tier_id.is_key_account", "=", False), ("applied_tier_id.is_inactive", "=", False),
                      ("revenue_12m", ">", 0)]
        costly = ["|", "|", ("gross_margin_rate", "<", LOW_MARGIN), ("late_payment_share", ">=", LATE_PAYER),
                  ("benefit_index", "<", LOW_BENEFIT)]
        not_costly = [("gross_margin_rate", ">=", LOW_MARGIN), ("late_payment_share", "<", LATE_PAYER),
                      ("benefit_index", ">=", LOW_BENEFIT)]
        return {
            "is_declining": customer + bought_24m + [
                ("applied_tier_id.is_inactive", "=", False),
                "|", ("revenue_growth", "<=", DECLINING_GROWTH), ("order_overdue", "=", True)],
            "is_high_upkeep": customer + lower_tier + costly,
            "is_promising": customer + lower_tier + not_costly + [
                ("revenue_growth", ">=", PROMISING_GROWTH), ("order_overdue", "=", False)],
            "is_lapsed": customer + bought_24m + [("applied_tier_id.is_inactive", "=", True)],
        }

    @api.depends("partner_id", "applied_tier_id", "revenue_12m", "revenue_prev_12m", "revenue_growth",
                 "order_overdue", "gross_margin_rate", "late_payment_share", "benefit_index")
    def _compute_working_lists(self):
        for name, domain in self._working_list_domains().items():
            listed = self.filtered_domain(domain)
            for stat in self:
                stat[name] = stat in listed

    def _search_working_list(self, name, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Search the working lists with '=' or '!=' True or False."))
        domain = self._working_list_domains()[name]
        if (operator == "=") == value:
            return domain
        return [("id", "not in", self._search(domain))]

    def _search_is_declining(self, operator, value):
        return self._search_working_list("is_declining", operator, value)

    def _search_is_high_upkeep(self, operator, value):
        return self._search_working_list("is_high_upkeep", operator, value)

    def _search_is_promising(self, operator, value):
        return self._search_working_list("is_promising", operator, value)

    def _search_is_lapsed(self, operator, value):
        return self._search_working_list("is_lapsed", operator, value)

    def action_open_customer(self):
        """A row of the figures opens its customer."""
        self._ensure_one_record()
        return self.partner_id._form_action()

    # ------------------------------------------------------------- recompute

    @api.model
    def _cron_recompute(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company)._recompute()

    @api.model
    def _recompute(self, partners=None):
        """Recompute the current company's figures and tiers, for every customer or the given
        ones (the ranking always spans every customer, so both give the same result)."""
        company = self.env.company
        self.env.flush_all()
        self.env.cr.execute(self._upsert_query(company, partners))
        self.invalidate_model()
        # the partners show these figures through non-stored fields, which any of the customer's
        # figures may have read (res_partner_key_account.py): drop what they cached
        Partner = self.env["res.partner"]
        Partner.invalidate_model([name for name in self._figure_columns() if name in Partner._fields])
        self._apply_tiers(company, partners)
        self._notify_overdue_orders(company, partners)

    @api.model
    def _figures_query(self, company, today):
        """SELECT of every customer's figures for a company, one row per customer."""
        start = today - relativedelta(months=12)
        start_prev = today - relativedelta(months=24)
        inactive_since = today - timedelta(days=company._key_account_inactive_days())
        # sudo: the tier configuration applies to everyone classified, whoever runs the computation
        tiers = self.env["crm.key.account.tier"].sudo().search([
            ("company_id", "in", [company.id, False]), ("is_inactive", "=", False)])
        inactive_tier = self.env["crm.key.account.tier"].sudo().search([
            ("company_id", "in", [company.id, False]), ("is_inactive", "=", True)], limit=1)
        if company._key_account_rule() == "threshold":
            bounds, matches = tiers.mapped("min_revenue"), SQL("figures.revenue_12m >= rule.bound")
        else:
            bounds, matches = tiers.mapped("pareto_limit"), SQL("figures.start_share < rule.bound")
        return SQL("""
            WITH invoice_line AS (
                SELECT move.commercial_partner_id AS partner_id, line.date, -line.balance AS revenue,
                       CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END
                         * line.quantity / COALESCE(NULLIF(line_uom.factor, 0), 1) * COALESCE(product_uom.factor, 1)
                         * COALESCE((product.standard_price ->> %(company_key)s)::numeric, 0) AS cost
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  LEFT JOIN product_product product ON product.id = line.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                  LEFT JOIN uom_uom line_uom ON line_uom.id = line.product_uom_id
                  LEFT JOIN uom_uom product_uom ON product_uom.id = template.uom_id
                 WHERE line.company_id = %(company)s AND line.parent_state = 'posted'
                   AND line.display_type = 'product' AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.date > %(start_prev)s AND line.date <= %(today)s
            ), revenue AS (
                SELECT partner_id,
                       SUM(revenue) FILTER (WHERE date > %(start)s) AS revenue_12m,
                       SUM(revenue) FILTER (WHERE date <= %(start)s) AS revenue_prev_12m,
                       SUM(revenue - cost) FILTER (WHERE date > %(start)s) AS margin_12m
                  FROM invoice_line GROUP BY partner_id
            ), invoice AS (
                SELECT move.commercial_partner_id AS partner_id,
                       MAX(move.invoice_date) AS last_invoice_date,
                       COUNT(*) FILTER (WHERE move.invoice_date > %(start)s) AS invoice_count,
                       COUNT(*) FILTER (WHERE move.invoice_date > %(start)s AND (
                           (move.amount_residual > 0 AND move.invoice_date_due < %(today)s)
                           OR paid.paid_date > move.invoice_date_due)) AS late_count
                  FROM account_move move
                  LEFT JOIN LATERAL (
                      SELECT MAX(reconcile.max_date) AS paid_date
                        FROM account_move_line receivable
                        JOIN account_partial_reconcile reconcile ON reconcile.debit_move_id = receivable.id
                       WHERE receivable.move_id = move.id AND receivable.display_type = 'payment_term'
                  ) AS paid ON move.amount_residual = 0 AND move.invoice_date > %(start)s
                 WHERE move.company_id = %(company)s AND move.state = 'posted' AND move.move_type = 'out_invoice'
                 GROUP BY move.commercial_partner_id
            ), sale_order_gap AS (
                SELECT customer.commercial_partner_id AS partner_id, sale.date_order::date AS order_date,
                       sale.date_order::date - LAG(sale.date_order::date) OVER (
                           PARTITION BY customer.commercial_partner_id ORDER BY sale.date_order) AS gap
                  FROM sale_order sale
                  JOIN res_partner customer ON customer.id = sale.partner_id
                 WHERE sale.company_id = %(company)s AND sale.state = 'sale'
                   AND sale.date_order > %(start_prev)s AND sale.date_order::date <= %(today)s
            ), orders AS (
                SELECT partner_id, COUNT(*) AS order_count_24m,
                       COUNT(*) FILTER (WHERE order_date > %(start)s) AS order_count_12m,
                       MAX(order_date) AS last_order_date,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap) AS cycle
                  FROM sale_order_gap GROUP BY partner_id
            ), complaint AS (
                SELECT partner_id, COUNT(*) AS complaint_count
                  FROM crm_complaint
                 WHERE company_id = %(company)s AND kind = 'complaint' AND date_received > %(start)s
                 GROUP BY partner_id
            ), satisfaction AS (
                SELECT case_.partner_id, AVG(rating.rating)::numeric AS rating
                  FROM rating_rating rating
                  JOIN crm_complaint case_ ON case_.id = rating.res_id AND rating.res_model = 'crm.complaint'
                 WHERE case_.company_id = %(company)s AND rating.consumed AND rating.rating > 0
                   AND rating.write_date > %(start)s
                 GROUP BY case_.partner_id
            ), customer AS (
                SELECT partner_id FROM revenue UNION SELECT partner_id FROM invoice
                UNION SELECT partner_id FROM orders
                UNION SELECT partner_id FROM crm_key_account_stat WHERE company_id = %(company)s
            ), base AS (
                SELECT customer.partner_id,
                       COALESCE(revenue.revenue_12m, 0) AS revenue_12m,
                       COALESCE(revenue.revenue_prev_12m, 0) AS revenue_prev_12m,
                       COALESCE(revenue.margin_12m, 0) AS margin_12m,
                       invoice.last_invoice_date, COALESCE(invoice.invoice_count, 0) AS invoice_count,
                       COALESCE(invoice.late_count, 0) AS late_count,
                       COALESCE(orders.order_count_12m, 0) AS order_count_12m,
                       COALESCE(orders.order_count_24m, 0) AS order_count_24m,
                       orders.last_order_date, orders.cycle,
                       COALESCE(complaint.complaint_count, 0) AS complaint_count, satisfaction.rating
                  FROM customer
                  LEFT JOIN revenue ON revenue.partner_id = customer.partner_id
                  LEFT JOIN invoice ON invoice.partner_id = customer.partner_id
                  LEFT JOIN orders ON orders.partner_id = customer.partner_id
                  LEFT JOIN complaint ON complaint.partner_id = customer.partner_id
                  LEFT JOIN satisfaction ON satisfaction.partner_id = customer.partner_id
            ), ranked AS (
                SELECT base.*, GREATEST(revenue_12m, 0) AS ranked_revenue,
                       SUM(GREATEST(revenue_12m, 0)) OVER () AS total,
                       -- ties share one rank: the frame of ORDER BY spans the peers
                       SUM(GREATEST(revenue_12m, 0)) OVER (ORDER BY GREATEST(revenue_12m, 0) DESC)
                         AS cumulative,
                       SUM(GREATEST(revenue_12m, 0)) OVER (PARTITION BY GREATEST(revenue_12m, 0)) AS peers
                  FROM base
            ), figures AS (
                SELECT ranked.*,
                       CASE WHEN total > 0 THEN 100 * ranked_revenue / total ELSE 0 END AS revenue_share,
                       CASE WHEN total > 0 THEN 100 * cumulative / total ELSE 0 END AS cumulative_share,
                       CASE WHEN total > 0 THEN 100 * (cumulative - peers) / total ELSE 0 END AS start_share,
                       CASE WHEN revenue_prev_12m > 0
                            THEN 100 * (revenue_12m - revenue_prev_12m) / revenue_prev_12m END AS growth
                  FROM ranked
            )
            SELECT figures.partner_id, %(company)s AS company_id,
                   -- inactive: neither a posted invoice nor a confirmed order in the period
                   CASE WHEN COALESCE(figures.last_invoice_date <= %(inactive_since)s, TRUE)
                         AND COALESCE(figures.last_order_date <= %(inactive_since)s, TRUE)
                        THEN COALESCE(%(inactive_tier)s, %(last_tier)s)
                        ELSE COALESCE((SELECT rule.tier_id
                                         FROM unnest(%(tier_ids)s::int[], %(bounds)s::numeric[])
                                              WITH ORDINALITY AS rule(tier_id, bound, rank)
                                        WHERE %(matches)s ORDER BY rule.rank LIMIT 1), %(last_tier)s)
                   END AS tier_id,
                   figures.revenue_12m, figures.revenue_prev_12m, figures.growth AS revenue_growth,
                   figures.margin_12m AS gross_margin_12m,
                   CASE WHEN figures.revenue_12m > 0 THEN 100 * figures.margin_12m / figures.revenue_12m END
                     AS gross_margin_rate,
                   figures.revenue_share, figures.cumulative_share,
                   figures.order_count_12m, figures.cycle AS purchase_cycle_days, figures.last_order_date,
                   figures.last_order_date + ROUND(figures.cycle)::int AS next_order_expected,
                   COALESCE(figures.order_count_24m >= 3
                            AND %(today)s - figures.last_order_date > 1.5 * GREATEST(figures.cycle, 7)
                            -- an inactive customer is on the Inactive list, no longer an overdue order
                            AND NOT (%(inactive_tier)s::int IS NOT NULL
                                     AND COALESCE(figures.last_invoice_date <= %(inactive_since)s, TRUE)
                                     AND COALESCE(figures.last_order_date <= %(inactive_since)s, TRUE)), FALSE)
                     AS order_overdue,
                   CASE WHEN figures.invoice_count > 0
                        THEN 100.0 * figures.late_count / figures.invoice_count ELSE 0 END AS late_payment_share,
                   ROUND(100 * (0.6 * (LEAST(GREATEST(COALESCE(figures.growth, 0) / 100, -1), 1) + 1) / 2
                                + 0.4 * LEAST(figures.order_count_12m / 12.0, 1)), 1) AS development_index,
                   ROUND((
                       CASE WHEN figures.invoice_count > 0
                            THEN 100 - 100.0 * figures.late_count / figures.invoice_count ELSE 100 END
                       + 100 * (1 - LEAST(figures.complaint_count::numeric / GREATEST(figures.order_count_12m, 1), 1))
                       + COALESCE(25 * (figures.rating - 1), 0)
                   ) / CASE WHEN figures.rating IS NULL THEN 2 ELSE 3 END, 1) AS benefit_index
              FROM figures
        """, company=company.id, company_key=str(company.id), today=today, start=start,
            start_prev=start_prev, inactive_since=inactive_since, inactive_tier=inactive_tier.id or None,
            last_tier=tiers[-1:].id or None, tier_ids=tiers.ids, bounds=bounds, matches=matches)

    @api.model
    def _upsert_query(self, company, partners=None):
        """One statement: compute the figures and write them, keeping each row's applied tier."""
        columns = SQL(
            "tier_id, revenue_12m, revenue_prev_12m, revenue_growth, gross_margin_12m, gross_margin_rate, "
            "revenue_share, "
            "cumulative_share, order_count_12m, purchase_cycle_days, last_order_date, next_order_expected, "
            "order_overdue, late_payment_share, development_index, benefit_index")
        selection = SQL("TRUE") if partners is None else SQL("figures.partner_id = ANY(%s)", partners.ids)
        return SQL("""
            INSERT INTO crm_key_account_stat (partner_id, company_id, %(columns)s, applied_tier_id, user_id,
                                              industry_id, country_id, state_id, computed_at, create_uid,
                                              create_date, write_uid, write_date)
            SELECT figures.partner_id, figures.company_id, %(figure_columns)s,
                   -- a new row's applied tier, as _apply_tiers leaves it: the computed tier unless locked
                   -- (written here, the first classification does not update 20,000 new rows again)
                   CASE WHEN COALESCE((partner.tier_locked ->> %(company_key)s)::boolean, FALSE)
                        THEN (partner.key_account_tier_id ->> %(company_key)s)::int ELSE figures.tier_id END,
                   partner.user_id, partner.industry_id, partner.country_id, partner.state_id, %(now)s, %(uid)s,
                   %(now)s, %(uid)s, %(now)s
              FROM (%(figures)s) AS figures
              JOIN res_partner partner ON partner.id = figures.partner_id
             WHERE %(selection)s
            ON CONFLICT (partner_id, company_id) DO UPDATE SET (%(columns)s, user_id, industry_id, country_id,
                state_id, computed_at, write_uid, write_date) = (%(excluded)s, EXCLUDED.user_id,
                EXCLUDED.industry_id, EXCLUDED.country_id, EXCLUDED.state_id, EXCLUDED.computed_at,
                EXCLUDED.write_uid, EXCLUDED.write_date)
            -- rows whose figures did not move are left alone: no dead tuples, no write
            WHERE (%(current)s, crm_key_account_stat.user_id, crm_key_account_stat.industry_id,
                   crm_key_account_stat.country_id, crm_key_account_stat.state_id)
                  IS DISTINCT FROM (%(excluded)s, EXCLUDED.user_id, EXCLUDED.industry_id,
                                    EXCLUDED.country_id, EXCLUDED.state_id)
        """, columns=columns, figure_columns=SQL(", ".join(
            f"figures.{name}" for name in self._figure_columns())),
            excluded=SQL(", ".join(f"EXCLUDED.{name}" for name in self._figure_columns())),
            current=SQL(", ".join(f"crm_key_account_stat.{name}" for name in self._figure_columns())),
            figures=self._figures_query(company, fields.Date.context_today(self)),
            selection=selection, now=fields.Datetime.now(), uid=self.env.uid, company_key=str(company.id))

    @api.model
    def _figure_columns(self):
        return ["tier_id", "revenue_12m", "revenue_prev_12m", "revenue_growth", "gross_margin_12m",
                "gross_margin_rate", "revenue_share", "cumulative_share", "order_count_12m", "purchase_cycle_days",
                "last_order_date", "next_order_expected", "order_overdue", "late_payment_share",
                "development_index", "benefit_index"]

    @api.model
    def _apply_tiers(self, company, partners=None):
        """Give the computed tier to the customers whose tier changed and is not locked."""
        company_key = str(company.id)
        self.env.cr.execute(SQL("""
            SELECT stat.partner_id, stat.tier_id, (partner.key_account_tier_id ->> %(key)s)::int
              FROM crm_key_account_stat stat
              JOIN res_partner partner ON partner.id = stat.partner_id
             WHERE stat.company_id = %(company)s AND %(selection)s
               AND stat.tier_id IS DISTINCT FROM (partner.key_account_tier_id ->> %(key)s)::int
               AND NOT COALESCE((partner.tier_locked ->> %(key)s)::boolean, FALSE)
        """, company=company.id, key=company_key,
            selection=SQL("TRUE") if partners is None else SQL("stat.partner_id = ANY(%s)", partners.ids)))
        new_tier_ids, old_tier_ids = {}, {}
        for partner_id, tier_id, old_tier_id in self.env.cr.fetchall():
            new_tier_ids[partner_id], old_tier_ids[partner_id] = tier_id, old_tier_id
        if new_tier_ids:
            self.env["res.partner"].with_company(company)._set_classified_tiers(new_tier_ids, old_tier_ids)
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            UPDATE crm_key_account_stat stat
               SET applied_tier_id = (partner.key_account_tier_id ->> %(key)s)::int
              FROM res_partner partner
             WHERE partner.id = stat.partner_id AND stat.company_id = %(company)s
               AND stat.applied_tier_id IS DISTINCT FROM (partner.key_account_tier_id ->> %(key)s)::int
        """, company=company.id, key=company_key))
        self.invalidate_model(["applied_tier_id"])

    @api.model
    def _notify_overdue_orders(self, company, partners=None):
        """One activity for the account owner when a customer's order becomes overdue."""
        domain = [("company_id", "=", company.id)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        # sudo: the figures table is derived data; this only schedules activities for account owners
        stats = self.sudo().search(domain + [("order_overdue", "!=", False), ("overdue_notified", "=", False)])
        envs = stats.partner_id._owner_envs()
        notes = {}
        for stat in stats:
            if not stat.partner_id._account_owner():
                continue  # nobody to tell: no text to write either
            env = envs[stat.partner_id]
            notes[stat.partner_id] = env._(
                "No order from %(customer)s since %(date)s: expected around %(expected)s.",
                customer=stat.partner_id.name, date=format_date(env, stat.last_order_date),
                expected=format_date(env, stat.next_order_expected))
        stats.partner_id._schedule_account_activities("crm_industrial.mail_activity_type_order_overdue", notes)
        # sudo: the flag is the job's own bookkeeping on derived rows, whoever runs the recompute
        cleared = self.sudo().search(domain + [("order_overdue", "=", False), ("overdue_notified", "=", True)])
        self._set_overdue_notified(stats, True)
        self._set_overdue_notified(cleared, False)

    @api.model
    def _set_overdue_notified(self, stats, value):
        """The flag of these rows in one UPDATE: the first classification flags thousands of rows it
        has just inserted, on which PostgreSQL's statistics are not yet up to date, and the ORM's
        updates of 100 rows at a time then took a plan scanning the whole table for each row."""
        if not stats:
            return
        stats.flush_recordset(["overdue_notified"])
        self.env.cr.execute(SQL(
            "UPDATE crm_key_account_stat SET overdue_notified = %(value)s, write_uid = %(uid)s, "
            "write_date = %(now)s WHERE id = ANY(%(ids)s)",
            value=value, uid=self.env.uid, now=self.env.cr.now(), ids=stats.ids))
        stats.invalidate_recordset(["overdue_notified", "write_uid", "write_date"])
