"""Key-account recompute at scale: the addon against hand-written bare SQL.

Generates (once) a company with N customers and M posted invoice lines over 24 months,
with confirmed orders and payments, then times in one run:
  (a) the addon's full recompute (figures, tiers, history, activities),
  (b) a hand-written bare-SQL aggregation plus bulk update producing the same figures,
checks that both agree, and prints the ratio and the number of SQL queries.
The first recompute of a run is a first classification only on new data; --first-again forgets
the company's tiers, tier history, figures and the orders' tiers first (in SQL), so that it is
measured again on data already generated.
"""

import argparse
import time

from bench_tools import odoo_env, timed

import odoo
from odoo.tools import SQL

LINES_PER_INVOICE = 5

# The hand-written comparison: the same figures, written independently of the addon into
# a table of its own, updated in bulk like the addon's (the first run creates it).
BARE_SQL = """
CREATE TABLE IF NOT EXISTS bench_key_account_figures (
    partner_id int PRIMARY KEY, revenue_12m numeric, revenue_prev_12m numeric, margin_12m numeric,
    order_count_12m int, last_order_date date, cycle float, late_share numeric, cumulative_share numeric);
INSERT INTO bench_key_account_figures (partner_id, revenue_12m, revenue_prev_12m, margin_12m)
SELECT m.commercial_partner_id,
       COALESCE(SUM(-l.balance) FILTER (WHERE l.date > %(start)s), 0),
       COALESCE(SUM(-l.balance) FILTER (WHERE l.date <= %(start)s), 0),
       COALESCE(SUM(-l.balance - CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END * l.quantity
                    * COALESCE((p.standard_price ->> %(company_key)s)::numeric, 0))
                FILTER (WHERE l.date > %(start)s), 0)
  FROM account_move_line l JOIN account_move m ON m.id = l.move_id
  LEFT JOIN product_product p ON p.id = l.product_id
 WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND l.display_type = 'product'
   AND m.move_type IN ('out_invoice', 'out_refund') AND l.date > %(start_prev)s AND l.date <= %(today)s
 GROUP BY m.commercial_partner_id
ON CONFLICT (partner_id) DO UPDATE SET revenue_12m = EXCLUDED.revenue_12m,
    revenue_prev_12m = EXCLUDED.revenue_prev_12m, margin_12m = EXCLUDED.margin_12m;
UPDATE bench_key_account_figures f SET order_count_12m = o.n, last_order_date = o.last, cycle = o.cycle
  FROM (SELECT partner_id, COUNT(*) FILTER (WHERE d > %(start)s) AS n, MAX(d) AS last,
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap) AS cycle
          FROM (SELECT c.commercial_partner_id AS partner_id, s.date_order::date AS d,
                       s.date_order::date - LAG(s.date_order::date) OVER (
                           PARTITION BY c.commercial_partner_id ORDER BY s.date_order) AS gap
                  FROM sale_order s JOIN res_partner c ON c.id = s.partner_id
                 WHERE s.company_id = %(company)s AND s.state = 'sale' AND s.date_order > %(start_prev)s
                   AND s.date_order::date <= %(today)s) AS gaps
         GROUP BY partner_id) o
 WHERE o.partner_id = f.partner_id;
UPDATE bench_key_account_figures f SET late_share = x.late
  FROM (SELECT m.commercial_partner_id AS partner_id,
               100.0 * COUNT(*) FILTER (WHERE (m.amount_residual > 0 AND m.invoice_date_due < %(today)s)
                   OR (m.amount_residual = 0 AND (SELECT MAX(r.max_date) FROM account_move_line t
                        JOIN account_partial_reconcile r ON r.debit_move_id = t.id
                        WHERE t.move_id = m.id AND t.display_type = 'payment_term') > m.invoice_date_due))
                 / COUNT(*) AS late
          FROM account_move m
         WHERE m.company_id = %(company)s AND m.state = 'posted' AND m.move_type = 'out_invoice'
           AND m.invoice_date > %(start)s
         GROUP BY 1) x
 WHERE x.partner_id = f.partner_id;
UPDATE bench_key_account_figures f SET cumulative_share = x.cum
  FROM (SELECT partner_id, 100 * SUM(GREATEST(revenue_12m, 0)) OVER (ORDER BY GREATEST(revenue_12m, 0) DESC)
                 / NULLIF(SUM(GREATEST(revenue_12m, 0)) OVER (), 0) AS cum
          FROM bench_key_account_figures) x
 WHERE x.partner_id = f.partner_id;
"""

COMPARE = """
SELECT COUNT(*) FILTER (WHERE s.partner_id IS NULL OR f.partner_id IS NULL) AS missing,
       COUNT(*) FILTER (WHERE abs(s.revenue_12m - f.revenue_12m) > 0.01
                           OR abs(s.revenue_prev_12m - f.revenue_prev_12m) > 0.01
                           OR abs(s.gross_margin_12m - f.margin_12m) > 0.01
                           OR s.order_count_12m IS DISTINCT FROM COALESCE(f.order_count_12m, 0)
                           OR s.last_order_date IS DISTINCT FROM f.last_order_date
                           OR abs(COALESCE(s.purchase_cycle_days, 0) - COALESCE(f.cycle, 0)) > 0.001
                           OR abs(s.late_payment_share - COALESCE(f.late_share, 0)) > 0.001
                           OR abs(s.cumulative_share - COALESCE(f.cumulative_share, 0)) > 0.001) AS different,
       COUNT(*) AS compared
  FROM (SELECT * FROM crm_key_account_stat WHERE company_id = %(company)s
          AND partner_id IN (SELECT partner_id FROM bench_key_account_figures)) s
  FULL JOIN bench_key_account_figures f ON f.partner_id = s.partner_id
"""


def generate(env, customers, lines):
    """Customers, products, invoices (with receivable lines and payments) and orders, in SQL."""
    cr, company = env.cr, env.company
    cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
    if cr.fetchone()[0] >= customers:
        print(f"data: reusing {customers} customers already generated")
        return
    start = time.time()
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search([("account_type", "=", "asset_receivable"),
                                                 ("company_ids", "in", company.id)], limit=1)
    income = journal.default_account_id
    ton = env.ref("uom.product_uom_ton")
    products = env["product.product"].create([{
        "name": f"Bench product {index}", "uom_id": ton.id, "uom_po_id": ton.id,
        "list_price": 100 + 40 * index, "standard_price": 80 + 30 * index} for index in range(20)])
    env.flush_all()
    invoices = lines // LINES_PER_INVOICE
    params = {"company": company.id, "currency": company.currency_id.id, "journal": journal.id,
              "receivable": receivable.id, "income": income.id, "uom": ton.id, "customers": customers,
              "invoices": invoices, "products": products.ids, "per_invoice": LINES_PER_INVOICE}
    cr.execute("SELECT setseed(0.42)")
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills,
                                 company_id, create_date, write_date)
        SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, TRUE, 'contact',
               'ask', NULL, now(), now()
          FROM generate_series(1, %(customers)s) g;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench Customer %%';
        CREATE TEMP TABLE bench_customer AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rank, id FROM res_partner WHERE name LIKE 'Bench Customer %%';
        CREATE TEMP TABLE bench_invoice AS
            SELECT draw.n, customer.id AS partner_id, draw.day, draw.move_type, draw.payment_draw
              FROM (SELECT g AS n,
                           -- a few customers buy most: the 80/20 of real sales
                           floor(%(customers)s * power(random(), 3))::int AS rank,
                           CURRENT_DATE - (random() * 729)::int AS day,
                           CASE WHEN random() < 0.05 THEN 'out_refund' ELSE 'out_invoice' END AS move_type,
                           random() AS payment_draw
                      FROM generate_series(1, %(invoices)s) g) AS draw
              JOIN bench_customer customer ON customer.rank = draw.rank;
    """, params)
    cr.execute("""
        INSERT INTO account_move (name, move_type, state, date, invoice_date, invoice_date_due, journal_id,
                                  company_id, currency_id, partner_id, commercial_partner_id, amount_residual,
                                  auto_post, create_date, write_date)
        SELECT 'BENCH/' || n, move_type, 'posted', day, day, day + 30, %(journal)s, %(company)s, %(currency)s,
               partner_id, partner_id, CASE WHEN payment_draw < 0.1 THEN 1000 ELSE 0 END, 'no', now(), now()
          FROM bench_invoice ORDER BY n;
        CREATE TEMP TABLE bench_move AS
            SELECT m.id, i.* FROM account_move m JOIN bench_invoice i ON m.name = 'BENCH/' || i.n;
        INSERT INTO account_move_line (move_id, company_id, currency_id, journal_id, account_id, partner_id,
                                       display_type, parent_state, date, quantity, price_unit, balance, debit,
                                       credit, amount_currency, product_id, product_uom_id, create_date, write_date)
        SELECT m.id, %(company)s, %(currency)s, %(journal)s, %(income)s, m.partner_id, 'product', 'posted',
               m.day, q.qty, q.price,
               CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END * q.qty * q.price,
               CASE WHEN m.move_type = 'out_refund' THEN q.qty * q.price ELSE 0 END,
               CASE WHEN m.move_type = 'out_refund' THEN 0 ELSE q.qty * q.price END,
               CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END * q.qty * q.price,
               q.product_id, %(uom)s, now(), now()
          FROM bench_move m
          CROSS JOIN LATERAL (
              SELECT round((5 + random() * 95)::numeric, 1) AS qty,
                     (%(products)s::int[])[1 + (random() * 19)::int + 0 * x] AS product_id,
                     round((100 + random() * 700)::numeric, 2) AS price
                FROM generate_series(1, %(per_invoice)s) x) q;
        INSERT INTO account_move_line (move_id, company_id, currency_id, journal_id, account_id, partner_id,
                                       display_type, parent_state, date, balance, debit, credit, amount_currency,
                                       create_date, write_date)
        SELECT m.id, %(company)s, %(currency)s, %(journal)s, %(receivable)s, m.partner_id, 'payment_term',
               'posted', m.day, 1000, 1000, 0, 1000, now(), now()
          FROM bench_move m;
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, max_date, amount, debit_amount_currency,
                                               credit_amount_currency, company_id, create_date, write_date)
        SELECT l.id, l.id, m.day + 30 + CASE WHEN m.payment_draw > 0.8 THEN 20 ELSE -10 END, 1000, 1000, 1000,
               %(company)s, now(), now()
          FROM bench_move m JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
         WHERE m.move_type = 'out_invoice' AND m.payment_draw >= 0.1;
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, date_order,
                                state, currency_id, create_date, write_date)
        SELECT 'BENCH-SO/' || n, partner_id, partner_id, partner_id, %(company)s, day + time '09:00', 'sale',
               %(currency)s, now(), now()
          FROM bench_move WHERE move_type = 'out_invoice';
        ANALYZE account_move_line; ANALYZE account_move; ANALYZE sale_order; ANALYZE res_partner;
    """, params)
    cr.commit()
    env.invalidate_all()
    print(f"data: {customers} customers, {invoices * LINES_PER_INVOICE} invoice lines in {invoices} "
          f"invoices, orders and payments, generated in {time.time() - start:.0f} s")




def fill_order_tiers(env):
    """The order-tier job's batches, as the cron runner calls them: [(orders, seconds)]."""
    from odoo.addons.crm_industrial.models.res_partner_key_account import ORDER_TIER_BATCH  # noqa: PLC0415

    batches = []
    while True:
        start = time.time()
        count = env["res.partner"]._fill_order_tiers(ORDER_TIER_BATCH)
        if count:
            batches.append((count, time.time() - start))
        if count < ORDER_TIER_BATCH:
            return batches


def forget_tiers(env):
    """Back to before the first classification: no tier, history, figures, nor order tier."""
    company = env.company
    key = str(company.id)
    env.cr.execute(SQL("""
        UPDATE res_partner SET key_account_tier_id = key_account_tier_id - %(key)s
         WHERE key_account_tier_id ? %(key)s;
        DELETE FROM crm_key_account_tier_history WHERE company_id = %(company)s;
        DELETE FROM crm_key_account_stat WHERE company_id = %(company)s;
        UPDATE sale_order SET key_account_tier_id = NULL
         WHERE company_id = %(company)s AND key_account_tier_id IS NOT NULL;
    """, key=key, company=company.id))
    env.cr.execute(SQL("""
        DELETE FROM mail_message WHERE model = 'res.partner' AND message_type = 'notification'
           AND body LIKE %(pattern)s
    """, pattern="%Classification%"))
    env.cr.commit()
    env.invalidate_all()
    print(f"first-again: tiers of {company.name} forgotten")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--first-again", action="store_true",
                        help="forget the tiers first, to time the first classification again")
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        cr = env.cr
        generate(env, args.customers, args.lines)
        if args.first_again:
            forget_tiers(env)
        Stat = env["crm.key.account.stat"]
        first, first_queries, _result = timed(cr, Stat._recompute)
        cr.commit()
        fill, _fill_queries, batches = timed(cr, lambda: fill_order_tiers(env))
        cr.commit()
        addon, addon_queries, _result = timed(cr, Stat._recompute)
        cr.commit()
        today = odoo.fields.Date.context_today(Stat)
        from dateutil.relativedelta import relativedelta
        params = {"company": env.company.id, "company_key": str(env.company.id), "today": today,
                  "start": today - relativedelta(months=12), "start_prev": today - relativedelta(months=24)}
        cr.execute(SQL(BARE_SQL, **params))  # creates its table on the first run, like (a)'s first run
        cr.commit()
        bare, bare_queries, _result = timed(cr, lambda: cr.execute(SQL(BARE_SQL, **params)))
        cr.execute(SQL(COMPARE, **params))
        missing, different, compared = cr.fetchone()
        cr.commit()
        print(f"first recompute (every customer gets a tier): {first:.1f} s, {first_queries} queries")
        if batches:
            print(f"  then the order-tier job: {sum(count for count, _seconds in batches)} orders in "
                  f"{len(batches)} batches, {fill:.1f} s, longest batch "
                  f"{max(seconds for _count, seconds in batches):.1f} s")
        print(f"(a) addon recompute: {addon:.1f} s, {addon_queries} queries")
        print(f"first classification / nightly recompute: {first / addon:.2f} (issue 15's target: 2 at most)")
        print(f"(b) bare SQL:        {bare:.1f} s, {bare_queries} queries")
        print(f"ratio (a)/(b): {addon / bare:.2f}")
        print(f"agreement: {compared} customers compared, {missing} missing, {different} different")
        if missing or different:
            raise SystemExit("the addon and the bare SQL disagree")


if __name__ == "__main__":
    main()
