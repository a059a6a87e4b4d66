"""One customer's credit figures after a payment or an invoice (issue 15): the refresh that runs at
the commit of the request that posted it, on the credit bench's database (20,000 customers).

Times the refresh of the customer with the most journal items and of a median one, as the commit
hook runs it (`_mark_dirty` then the hook `_refresh_dirty`: figures, silent-dissatisfaction signal,
credit-hold recheck), best and median of 7 runs, with its SQL queries. Nothing is committed.

Reproduce: `.local/venv/bin/python bench/credit_refresh_one_bench.py --conf .local/bench/credit-odoo.conf
--db crmi_bench_credit` (after `bash bench/run.sh --only credit` made that database).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_tools import odoo_env  # noqa: E402

from odoo.tools import SQL  # noqa: E402

RUNS = 7


def refresh_once(env, partner):
    """(seconds, queries) of the commit hook refreshing one customer."""
    Stat = env["crm.customer.credit.stat"]
    Stat._mark_dirty([(env.company.id, partner.id)])
    env.flush_all()
    queries, start = env.cr.sql_log_count, time.perf_counter()
    Stat._refresh_dirty()
    seconds = time.perf_counter() - start
    env.cr.precommit.clear()
    return seconds, env.cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        company = env.company
        env.cr.execute(SQL("""
            SELECT partner.commercial_partner_id, COUNT(*)
              FROM account_move_line line JOIN res_partner partner ON partner.id = line.partner_id
             WHERE line.company_id = %s AND partner.name LIKE %s
             GROUP BY 1 ORDER BY 2 DESC
        """, company.id, "Bench Customer %"))
        rows = env.cr.fetchall()
        customers = {"most items": rows[0], "median": rows[len(rows) // 2]}
        for label, (partner_id, items) in customers.items():
            partner = env["res.partner"].browse(partner_id)
            runs = [refresh_once(env, partner) for _run in range(RUNS)]
            seconds = sorted(run[0] for run in runs)
            print(f"refresh of one customer ({label}: {items} journal items): best {seconds[0] * 1000:.1f} ms, "
                  f"median {statistics.median(seconds) * 1000:.1f} ms, {runs[-1][1]} queries")
        env.cr.rollback()


if __name__ == "__main__":
    main()
