"""Credit figures at scale: crm_industrial against OCA's financial risk and bare SQL.

Runs on the key-account bench's data (20,000 customers, 200,000 invoices with receivable lines
and payments; generated here when missing), completed once for credit: receivable lines on the
customers' receivable account with their due dates and residual amounts, partly paid invoices,
unapplied credit notes, draft invoices, credit limits on one customer in ten and OCA's "include"
flags. Then, for every customer, times open / overdue / exposure computed
  (a) through crm_industrial: crm.customer.credit.stat `_refresh()` for the company, then a read
      of the partners' figures,
  (b) through OCA's account_financial_risk + sale_financial_risk: a read of the partners' risk
      fields, as the ORM does it (batches of 1,000 records),
  (c) with one bare SQL query written independently of both,
checks that they agree to the cent, prints times, query counts and ratios, and times the
"over credit limit" filter of the customer list.
"""

import argparse
import time
from decimal import Decimal

from bench_tools import odoo_env, timed
from key_account_bench import generate

from odoo import fields
from odoo.tools import SQL

PREPARED_KEY = "crmi_bench.credit_prepared"
LIMITED_MODULO = 10  # one customer in ten has a credit limit
CREDIT_LIMIT = 1500
DRAFT_AMOUNT = 500

# Completes the generated data for credit, once (the generator writes receivable lines without
# due dates or residual amounts, refunds as debits, and invoices without a payment state).
# Unpaid invoices: one in four partly paid.
PREPARE_SQL = """
UPDATE account_move_line line
   SET account_id = %(receivable)s, date_maturity = move.invoice_date_due,
       balance = sign.value * 1000, amount_currency = sign.value * 1000,
       debit = GREATEST(sign.value * 1000, 0), credit = GREATEST(-sign.value * 1000, 0),
       amount_residual = sign.value * residual.value, amount_residual_currency = sign.value * residual.value,
       reconciled = residual.value = 0
  FROM account_move move
 CROSS JOIN LATERAL (SELECT CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END AS value) sign
 CROSS JOIN LATERAL (SELECT CASE WHEN move.amount_residual = 0 THEN 0
                                 WHEN move.move_type = 'out_invoice' AND mod(move.id, 4) = 0 THEN 400
                                 ELSE 1000 END AS value) residual
 WHERE move.id = line.move_id AND move.name LIKE %(invoices)s AND line.display_type = 'payment_term';
UPDATE account_move move SET amount_residual = residual.amount, amount_residual_signed = residual.amount,
       payment_state = CASE WHEN residual.amount = 0 THEN 'paid' WHEN abs(residual.amount) < 1000 THEN 'partial'
                            ELSE 'not_paid' END
  FROM (SELECT move_id, SUM(amount_residual) AS amount FROM account_move_line
         WHERE display_type = 'payment_term' GROUP BY move_id) residual
 WHERE residual.move_id = move.id AND move.name LIKE %(invoices)s;
-- draft invoices of the customers with a credit limit: part of the exposure
INSERT INTO account_move (name, move_type, state, payment_state, date, invoice_date, invoice_date_due, journal_id,
                          company_id, currency_id, partner_id, commercial_partner_id, amount_total, amount_total_signed,
                          amount_residual, amount_residual_signed, auto_post, create_date, write_date)
SELECT 'BENCH-DRAFT/' || id, 'out_invoice', 'draft', 'not_paid', CURRENT_DATE, CURRENT_DATE, CURRENT_DATE + 30,
       %(journal)s, %(company)s, %(currency)s, id, id, %(draft)s, %(draft)s, %(draft)s, %(draft)s, 'no', now(), now()
  FROM res_partner WHERE name LIKE %(customers)s AND mod(id, %(modulo)s) = 0;
INSERT INTO account_move_line (move_id, company_id, currency_id, journal_id, account_id, partner_id, display_type,
                               parent_state, date, date_maturity, balance, debit, credit, amount_currency,
                               amount_residual, amount_residual_currency, reconciled, create_date, write_date)
SELECT move.id, %(company)s, %(currency)s, %(journal)s, %(receivable)s, move.partner_id, 'payment_term', 'draft',
       move.date, move.invoice_date_due, %(draft)s, %(draft)s, 0, %(draft)s, %(draft)s, %(draft)s, FALSE,
       now(), now()
  FROM account_move move WHERE move.name LIKE %(drafts)s;
UPDATE res_partner SET credit_limit = jsonb_build_object(%(company_key)s, %(limit)s)
 WHERE name LIKE %(customers)s AND mod(id, %(modulo)s) = 0;
-- OCA counts in its total risk only what each customer "includes": everything, like exposure
UPDATE res_partner SET risk_invoice_draft_include = TRUE, risk_invoice_open_include = TRUE,
       risk_invoice_unpaid_include = TRUE, risk_account_amount_include = TRUE,
       risk_account_amount_unpaid_include = TRUE, risk_sale_order_include = TRUE
 WHERE name LIKE %(customers)s;
ANALYZE account_move_line; ANALYZE account_move; ANALYZE res_partner;
"""

# (c) Written from the definitions, not from either module. Per customer (commercial partner):
#   open     = unreconciled posted receivable amounts, whatever their date (disputed included);
#   past_due = the part of it due before today (OCA's "unpaid": credits counted by their own date);
#   overdue  = what is past due once unapplied credits are set against the oldest amounts first:
#              every past-due amount is older than every amount not yet due, so the credits
#              (disputed items left out) first cover the past-due total: max(past-due debits - credits, 0);
#   exposure = open + draft invoices (+ orders to invoice: none in the generated data).
BARE_SQL = """
SELECT partner.commercial_partner_id,
       SUM(line.amount_residual) FILTER (WHERE move.state = 'posted') AS open,
       COALESCE(SUM(line.amount_residual) FILTER (WHERE move.state = 'posted'
                AND COALESCE(line.date_maturity, line.date) < %(today)s), 0) AS past_due,
       GREATEST(COALESCE(SUM(line.amount_residual) FILTER (WHERE move.state = 'posted' AND line.amount_residual > 0
                    AND COALESCE(line.date_maturity, line.date) < %(today)s
                    AND move.payment_state IS DISTINCT FROM 'blocked'), 0)
                + COALESCE(SUM(line.amount_residual) FILTER (WHERE move.state = 'posted' AND line.amount_residual < 0
                    AND move.payment_state IS DISTINCT FROM 'blocked'), 0), 0) AS overdue,
       COUNT(*) FILTER (WHERE move.state = 'posted' AND line.amount_residual < 0) > 0 AS has_credit,
       COALESCE(SUM(line.amount_residual) FILTER (WHERE move.state = 'posted'), 0)
           + COALESCE(SUM(move.amount_total_signed) FILTER (WHERE move.state = 'draft'), 0) AS exposure
  FROM account_move_line line
  JOIN account_move move ON move.id = line.move_id
  JOIN account_account account ON account.id = line.account_id
  JOIN res_partner partner ON partner.id = line.partner_id
 WHERE line.company_id = %(company)s AND account.account_type = 'asset_receivable'
   AND ((move.state = 'posted' AND line.reconciled IS NOT TRUE)
        OR (move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')))
 GROUP BY partner.commercial_partner_id
"""

ADDON_FIELDS = ["receivable_open", "receivable_overdue", "credit_exposure"]
OCA_FIELDS = [
    "risk_invoice_open",
    "risk_invoice_unpaid",
    "risk_account_amount",
    "risk_account_amount_unpaid",
    "risk_invoice_draft",
    "risk_sale_order",
    "risk_total",
]


def cents(value):
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def prepare(env):
    """Complete the generated data for the credit figures (once; the database is the bench's own)."""
    params = env["ir.config_parameter"].sudo()
    if params.get_param(PREPARED_KEY):
        print("data: reusing the credit data already prepared")
        return
    start, company = time.time(), env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["ir.default"]._get("res.partner", "property_account_receivable_id", company_id=company.id)
    env.cr.execute(
        SQL(
            PREPARE_SQL,
            receivable=receivable,
            journal=journal.id,
            company=company.id,
            currency=company.currency_id.id,
            company_key=str(company.id),
            draft=DRAFT_AMOUNT,
            limit=CREDIT_LIMIT,
            invoices="BENCH/%",
            drafts="BENCH-DRAFT/%",
            customers="Bench Customer %",
            modulo=LIMITED_MODULO,
        )
    )
    company.account_use_credit_limit = True
    params.set_param(PREPARED_KEY, "1")
    env.cr.commit()
    env.invalidate_all()
    print(f"data: credit data prepared in {time.time() - start:.0f} s")


def run_addon(env, partners):
    """(a) crm_industrial: the company's refresh, then the partners' figures as a list reads them."""
    env.invalidate_all()
    refresh, refresh_queries, _result = timed(env.cr, env["crm.customer.credit.stat"]._refresh)
    env.invalidate_all()
    read, read_queries, rows = timed(env.cr, lambda: partners.read(ADDON_FIELDS))
    figures = {
        row["id"]: (cents(row["receivable_open"]), cents(row["receivable_overdue"]), cents(row["credit_exposure"]))
        for row in rows
    }
    # the same three figures read from the figures rows rather than through the partners' fields
    # (which compute every credit figure of each partner whatever is read): for comparison only
    Stat = env["crm.customer.credit.stat"]
    env.invalidate_all()
    rows_read, _queries, _rows = timed(
        env.cr, lambda: Stat.search([("company_id", "=", env.company.id)]).read(["partner_id"] + ADDON_FIELDS)
    )
    return refresh + read, refresh_queries + read_queries, figures, (refresh, read, rows_read)


def run_oca(env, partners):
    """(b) OCA: the partners' risk fields, read as the ORM reads them (it computes 1,000 at a time)."""
    env.invalidate_all()
    seconds, queries, rows = timed(env.cr, lambda: partners.read(OCA_FIELDS))
    figures = {}
    for row in rows:
        # OCA's "open" is what is not yet due; "unpaid" what is past due; "account amount" the same
        # on receivable accounts other than the customer's own (none here, added for completeness)
        open_ = (
            row["risk_invoice_open"]
            + row["risk_invoice_unpaid"]
            + row["risk_account_amount"]
            + row["risk_account_amount_unpaid"]
        )
        past_due = row["risk_invoice_unpaid"] + row["risk_account_amount_unpaid"]
        figures[row["id"]] = (cents(open_), cents(past_due), cents(row["risk_total"]))
    return seconds, queries, figures


def run_sql(env, today):
    """(c) one bare query."""
    cr = env.cr
    query = SQL(BARE_SQL, company=env.company.id, today=today)

    def run():
        cr.execute(query)
        return cr.fetchall()

    seconds, queries, rows = timed(cr, run)
    figures = {row[0]: (cents(row[1]), cents(row[3]), cents(row[5]), cents(row[2]), row[4]) for row in rows}
    return seconds, queries, figures


def compare(partner_ids, addon, oca, bare):
    """Per customer, to the cent. Returns printable lines and the number of disagreements."""
    zero = (cents(0), cents(0), cents(0), cents(0), False)
    counts = dict.fromkeys(["open a/b/c", "overdue a/c", "past due b/c", "overdue a/b", "exposure a/b/c"], 0)
    compared_ab_overdue = with_credit = 0
    totals = dict.fromkeys(
        [
            "open_a",
            "open_b",
            "open_c",
            "overdue_a",
            "overdue_c",
            "past_due_b",
            "past_due_c",
            "exposure_a",
            "exposure_b",
            "exposure_c",
        ],
        Decimal(0),
    )
    for partner_id in partner_ids:
        open_a, overdue_a, exposure_a = addon[partner_id]
        open_b, past_due_b, exposure_b = oca[partner_id]
        open_c, overdue_c, exposure_c, past_due_c, has_credit = bare.get(partner_id, zero)
        counts["open a/b/c"] += not open_a == open_b == open_c
        counts["overdue a/c"] += overdue_a != overdue_c
        counts["past due b/c"] += past_due_b != past_due_c
        counts["exposure a/b/c"] += not exposure_a == exposure_b == exposure_c
        if has_credit:
            with_credit += 1
        else:
            compared_ab_overdue += 1
            counts["overdue a/b"] += overdue_a != past_due_b
        for name, value in (
            ("open_a", open_a),
            ("open_b", open_b),
            ("open_c", open_c),
            ("overdue_a", overdue_a),
            ("overdue_c", overdue_c),
            ("past_due_b", past_due_b),
            ("past_due_c", past_due_c),
            ("exposure_a", exposure_a),
            ("exposure_b", exposure_b),
            ("exposure_c", exposure_c),
        ):
            totals[name] += value
    lines = [
        f"agreement on {len(partner_ids)} customers ({with_credit} with unapplied credit notes):",
        f"  open, (a) = (b) = (c): {counts['open a/b/c']} different; totals {totals['open_a']:,} / "
        f"{totals['open_b']:,} / {totals['open_c']:,}",
        f"  overdue, credits set against the oldest amounts, (a) = (c): {counts['overdue a/c']} different; "
        f"totals {totals['overdue_a']:,} / {totals['overdue_c']:,}",
        f"  past due, credits by their own date (OCA's 'unpaid'), (b) = (c): {counts['past due b/c']} different; "
        f"totals {totals['past_due_b']:,} / {totals['past_due_c']:,}",
        f"  overdue (a) = OCA unpaid (b) on the {compared_ab_overdue} customers without unapplied credit: "
        f"{counts['overdue a/b']} different",
        f"  exposure (a) = OCA total risk (b) = (c): {counts['exposure a/b/c']} different; totals "
        f"{totals['exposure_a']:,} / {totals['exposure_b']:,} / {totals['exposure_c']:,}",
    ]
    return lines, sum(counts.values())


def where_time_goes(env, today):
    """The refresh's statement, explained: the time of each part (materialised WITH clauses, each
    counting the parts it is the first to read), against the bare query's."""
    Stat = env["crm.customer.credit.stat"]
    company = env.company
    query = Stat._figures_query(company, today, None, Stat._orders_to_invoice(company))
    parts = []

    def walk(node):
        name = node.get("Subplan Name", "")
        if name.startswith("CTE "):
            parts.append((node["Actual Total Time"] * node["Actual Loops"], name[4:]))
        for child in node.get("Plans", []):
            walk(child)

    env.cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) %s", query))
    plan = env.cr.fetchone()[0][0]
    walk(plan["Plan"])
    env.cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) %s", SQL(BARE_SQL, company=company.id, today=today)))
    bare = env.cr.fetchone()[0][0]["Execution Time"]
    return plan["Execution Time"], sorted(parts, reverse=True), bare


def over_limit(env):
    """The customer list filtered on "over credit limit", both ways."""
    Partner = env["res.partner"]
    env.invalidate_all()
    addon = timed(env.cr, lambda: Partner.search([("credit_usage", ">", 100)]))
    env.invalidate_all()
    oca = timed(env.cr, lambda: Partner.search([("risk_remaining_percentage", "<", 0)]))
    return addon, oca


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each method (the best is kept)")
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        cr = env.cr
        generate(env, args.customers, args.lines)
        prepare(env)
        cr.execute(SQL("SELECT id FROM res_partner WHERE name LIKE %s ORDER BY id", "Bench Customer %"))
        partner_ids = [row[0] for row in cr.fetchall()]
        partners = env["res.partner"].browse(partner_ids)
        today = fields.Date.context_today(partners)
        cr.execute("SELECT count(*) FROM crm_customer_credit_stat WHERE company_id = %s", [env.company.id])
        if not cr.fetchone()[0]:
            first, first_queries, _result = timed(cr, env["crm.customer.credit.stat"]._refresh)
            cr.commit()
            print(
                f"first refresh (every customer's row written, silent-dissatisfaction activities created): "
                f"{first:.1f} s, {first_queries} queries"
            )
        results = {"a": [], "b": [], "c": []}
        for _run in range(args.runs):
            results["a"].append(run_addon(env, partners))
            cr.commit()
            results["b"].append(run_oca(env, partners))
            results["c"].append(run_sql(env, today))
        best = {key: min(runs, key=lambda result: result[0]) for key, runs in results.items()}
        seconds = {key: result[0] for key, result in best.items()}
        queries = {key: result[1] for key, result in best.items()}
        refresh, read, rows_read = best["a"][3]
        print(
            f"(a) crm_industrial refresh + read: {seconds['a']:.2f} s ({refresh:.2f} s refresh, {read:.2f} s read "
            f"of {len(partners)} partners), {queries['a']} queries; runs: "
            + ", ".join(f"{result[0]:.2f}" for result in results["a"])
        )
        print(
            f"(b) OCA risk fields read:          {seconds['b']:.2f} s, {queries['b']} queries; runs: "
            + ", ".join(f"{result[0]:.2f}" for result in results["b"])
        )
        print(
            f"(c) bare SQL:                      {seconds['c']:.2f} s, {queries['c']} queries; runs: "
            + ", ".join(f"{result[0]:.2f}" for result in results["c"])
        )
        print(
            f"ratio (b)/(a): {seconds['b'] / seconds['a']:.1f} (target >= 5); "
            f"(a)/(c): {seconds['a'] / seconds['c']:.2f} (target <= 1.5)"
        )
        print(
            f"the refresh alone (a nightly run): (refresh)/(c) {refresh / seconds['c']:.2f}; "
            f"the read alone (what a list or a form costs once refreshed): (b)/(read) {seconds['b'] / read:.1f}, "
            f"(read)/(c) {read / seconds['c']:.2f}"
        )
        print(
            f"for comparison, the same figures read from the figures rows instead of the partners: "
            f"{rows_read:.2f} s; refresh + that read {refresh + rows_read:.2f} s, "
            f"(b)/that {seconds['b'] / (refresh + rows_read):.1f}"
        )
        lines, different = compare(partner_ids, best["a"][2], best["b"][2], best["c"][2])
        print("\n".join(lines))
        total, parts, bare = where_time_goes(env, today)
        print(
            f"where the refresh's time goes: its figures query {total / 1000:.2f} s "
            f"(the bare query {bare / 1000:.2f} s);"
            " parts, each with what it reads first: "
            + ", ".join(f"{name} {milliseconds / 1000:.2f} s" for milliseconds, name in parts[:8])
        )
        (addon_s, addon_q, addon_found), (oca_s, oca_q, oca_found) = over_limit(env)
        limited = [partner_id for partner_id in partner_ids if partner_id % LIMITED_MODULO == 0]
        expected = {partner_id for partner_id in limited if best["c"][2].get(partner_id, (0, 0, 0))[2] > CREDIT_LIMIT}
        print(
            f"over credit limit, crm_industrial (credit_usage > 100): {addon_s:.2f} s, {addon_q} queries, "
            f"{len(addon_found)} customers of {len(limited)} with a limit (bare SQL: {len(expected)})"
        )
        print(
            f"over credit limit, OCA (risk_remaining_percentage < 0): {oca_s:.2f} s, {oca_q} queries, "
            f"{len(oca_found)} customers"
        )
        cr.rollback()
        if different or set(addon_found.ids) != expected:
            raise SystemExit("the three computations disagree")


if __name__ == "__main__":
    main()
