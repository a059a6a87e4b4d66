"""Supply-notice targeting and publishing at scale.

Generates (once) 1,000,000 sale order lines on 50 products, in SQL, added to the sales orders
of the key-account bench (its 190,000 confirmed orders of 20,000 "Bench Customer" companies over
24 months; the bench makes them if missing): 5 or 6 lines an order, delivered except about 1%
still open. The customers get an email address (for the notice emails).
Then, for a shortage notice on 2 of the 50 products (180 days of look-back), times:
  (a) the targeting: crm.supply.notice._affected_customer_ids(), one query (target < 1 s);
  (b) publishing to 5,000 of the customers found: the click, action_publish() as superuser, which
      only freezes the notice and wakes the publishing job;
  (c) the publishing job's batches, as the cron runner calls them (without its commits): one email
      per recipient queued (mail.mail rows in state 'outgoing') and logged on each customer.
Every measure runs in a transaction rolled back afterwards, so the data stays as generated.
"""

import argparse
import math
import time

from bench_tools import odoo_env, timed

import odoo
from odoo import SUPERUSER_ID

PRODUCTS = 50
LINE_NAME = "Bench notice line"
RECIPIENTS = 5000

GENERATE = """
CREATE TEMP TABLE bench_notice_product AS
    SELECT row_number() OVER (ORDER BY id) AS rank, id FROM unnest(%(products)s::int[]) id;
INSERT INTO sale_order_line (order_id, sequence, name, product_id, product_uom, product_uom_qty, qty_delivered,
                             qty_delivered_method, qty_invoiced, qty_to_invoice, price_unit, technical_price_unit,
                             discount, price_subtotal, price_total, price_tax, price_reduce_taxexcl,
                             price_reduce_taxinc, customer_lead, state, invoice_status, company_id, currency_id,
                             order_partner_id, create_uid, write_uid, create_date, write_date)
SELECT o.id, l.seq, %(line_name)s, p.id, %(uom)s, l.qty, CASE WHEN l.open THEN 0 ELSE l.qty END,
       'manual', 0, 0, l.price, l.price, 0, l.qty * l.price, l.qty * l.price, 0, l.price, l.price, 0,
       'sale', 'no', o.company_id, o.currency_id, o.partner_id, %(uid)s, %(uid)s, now(), now()
  FROM (SELECT * FROM sale_order WHERE name LIKE 'BENCH-SO/%%' ORDER BY id LIMIT %(orders)s) o
 CROSS JOIN LATERAL (
     SELECT x AS seq, round((5 + random() * 95)::numeric, 1) AS qty,
            round((100 + random() * 700)::numeric, 2) AS price,
            random() < 0.01 AS open,
            1 + floor(random() * %(product_count)s)::int + 0 * o.id AS product_rank
       FROM generate_series(1, CASE WHEN o.id %% 100 < %(sixth_line_pct)s THEN 6 ELSE 5 END) x) l
  JOIN bench_notice_product p ON p.rank = l.product_rank;
DROP TABLE bench_notice_product;
UPDATE res_partner SET email = 'purchasing' || id || '@bench-customer.example.com'
 WHERE name LIKE 'Bench Customer %%' AND email IS NULL;
ANALYZE sale_order_line; ANALYZE sale_order; ANALYZE res_partner;
"""


def generate(env, lines):
    """50 products and LINES order lines on the key-account bench's orders; reused when present."""
    cr = env.cr
    Product = env["product.product"]
    products = Product.search([("name", "=like", "Bench notice product %")], order="id")
    cr.execute("SELECT count(*) FROM sale_order_line WHERE name = %s", [LINE_NAME])
    present = cr.fetchone()[0]
    if present >= lines and len(products) >= PRODUCTS:
        print(f"data: reusing {present} order lines already generated on {len(products)} products")
        return products[:PRODUCTS]
    start = time.time()
    cr.execute("DELETE FROM sale_order_line WHERE name = %s", [LINE_NAME])
    cr.execute("SELECT count(*) FROM sale_order WHERE name LIKE 'BENCH-SO/%'")
    orders = cr.fetchone()[0]
    if not orders:
        raise SystemExit("no BENCH-SO orders: run bench/key_account_bench.py first (bench/run.sh does)")
    ton = env.ref("uom.product_uom_ton")
    products |= Product.create([{
        "name": f"Bench notice product {index}", "uom_id": ton.id, "uom_po_id": ton.id, "type": "consu",
        "list_price": 200 + 10 * index} for index in range(len(products) + 1, PRODUCTS + 1)])
    env.flush_all()
    # 5 lines an order, 6 on a share of them, to reach at least LINES in all.
    sixth_line_pct = max(0, min(100, math.ceil(100 * (lines - 5 * orders) / orders)))
    cr.execute("SELECT setseed(0.42)")
    cr.execute(GENERATE, {"products": products.ids[:PRODUCTS], "product_count": PRODUCTS, "uom": ton.id,
                          "line_name": LINE_NAME, "uid": SUPERUSER_ID, "orders": orders,
                          "sixth_line_pct": sixth_line_pct})
    cr.execute("SELECT count(*), count(DISTINCT order_id) FROM sale_order_line WHERE name = %s", [LINE_NAME])
    count, order_count = cr.fetchone()
    cr.commit()
    env.invalidate_all()
    print(f"data: {count} order lines on {order_count} orders and {PRODUCTS} products, "
          f"generated in {time.time() - start:.0f} s")
    return products[:PRODUCTS]




def outgoing_mails(cr):
    cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
    return cr.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--recipients", type=int, default=RECIPIENTS)
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        cr = env.cr
        products = generate(env, args.lines)
        notice = env["crm.supply.notice"].create({
            "title": "Bench shortage", "notice_type": "shortage", "severity": "warning",
            "message": "<p>Allocation of two products.</p>", "recommended_action": "Plan your stock.",
            "product_ids": [odoo.Command.set(products[10:12].ids)], "lookback_days": 180,
        })
        env.flush_all()
        notice._affected_customer_ids()  # warm the caches (ORM, PostgreSQL) as a running server has them
        targeting, targeting_queries, customer_ids = timed(cr, notice._affected_customer_ids)
        print(f"(a) targeting on 2 of {len(products)} products: {len(customer_ids)} customers found in "
              f"{targeting:.3f} s, {targeting_queries} queries"
              + ("" if targeting < 1 else "  ABOVE THE 1 s TARGET"))

        chosen = customer_ids[:args.recipients]
        if len(chosen) < args.recipients:
            print(f"note: only {len(chosen)} customers found, publishing to them all")
        creating, creating_queries, _recipients = timed(cr, lambda: env["crm.supply.notice.recipient"].create([
            {"notice_id": notice.id, "partner_id": partner_id} for partner_id in chosen]))
        env.flush_all()
        print(f"    recipients created ({len(chosen)}): {creating:.1f} s, {creating_queries} queries")

        before = outgoing_mails(cr)

        def publish():
            notice.action_publish()
            env.flush_all()  # the writes, as the request would flush them

        def batches():
            from odoo.addons.crm_industrial.models.crm_supply_notice import PUBLISH_BATCH_DEFAULT  # noqa: PLC0415

            durations = []
            while True:
                start = time.time()
                _done, remaining = env["crm.supply.notice"]._publish_batch(PUBLISH_BATCH_DEFAULT)
                env.flush_all()
                durations.append(time.time() - start)
                if not remaining:
                    return durations

        click, click_queries, _result = timed(cr, publish)
        print(f"(b) the Publish click: {click:.2f} s, {click_queries} queries (state: {notice.state})")
        publishing, publishing_queries, durations = timed(cr, batches)
        queued = outgoing_mails(cr) - before
        print(f"(c) the publishing job to {len(chosen)} recipients: {publishing:.1f} s, {publishing_queries} queries "
              f"in {len(durations)} batches (longest {max(durations):.1f} s), "
              f"{queued} emails queued (mail.mail outgoing), "
              f"{len(notice.recipient_ids.filtered(lambda r: r.send_status == 'queued'))} recipients queued")
        cr.rollback()
        env.invalidate_all(flush=False)
        if queued != len(chosen):
            raise SystemExit(f"{queued} emails queued for {len(chosen)} recipients")


if __name__ == "__main__":
    main()
