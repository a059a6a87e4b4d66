"""Complaint SLA breach scan at scale: the escalation job on 100,000 open complaints.

Generates (once) N open complaints (stages New and Investigating, received over the last
30 days) for a few customers of the company, in SQL, with their deadlines and at-risk dates
set directly (date_received + N hours, as the ORM compute would be slow at this size):
  ~10% breached and not yet escalated, ~3% breached and already escalated,
  ~2% at risk and not yet notified, the rest on track.
Then times crm.complaint._cron_escalate():
  (a) first run: escalates the breached cases and warns on the at-risk ones (activities), in
      batches as the cron runner calls the job (one batch a call, until nothing remains; the
      runner commits between calls, the bench does not): total and longest batch;
  (b) second run, the steady state: nothing new to escalate;
and runs the same two scans with only a tenth of the cases open (the others closed), to show
that the steady-state scan's query count does not grow with the number of open cases.
Every measure runs in a transaction rolled back afterwards, so the data stays as generated;
when reused, the generated dates are shifted to now, keeping the same mix.
"""

import argparse
import time

from bench_tools import odoo_env, timed

import odoo
from odoo import SUPERUSER_ID

PREFIX = "BENCH/CMP/"
CUSTOMERS = 5

GENERATE = """
CREATE TEMP TABLE bench_complaint_draw AS
SELECT n, draw.r, draw.r2, draw.r3,
       CASE WHEN draw.r < 0.10 THEN 'breached'
            WHEN draw.r < 0.13 THEN 'escalated'
            WHEN draw.r < 0.15 THEN 'at_risk'
            WHEN draw.r < 0.40 THEN 'new'
            ELSE 'answered' END AS state,
       (ARRAY['low', 'normal', 'normal', 'high', 'critical'])[1 + floor(draw.r3 * 5)::int] AS severity
  FROM generate_series(1, %(count)s) n
 CROSS JOIN LATERAL (SELECT random() + 0 * n AS r, random() AS r2, random() AS r3) draw;
CREATE TEMP TABLE bench_complaint_dates AS
SELECT d.*, t.received,
       CASE WHEN d.state IN ('at_risk', 'answered') THEN t.received + interval '1 hour' END AS responded,
       t.received + t.response_hours * interval '1 hour' AS response_deadline,
       t.received + t.resolution_hours * interval '1 hour' AS resolution_deadline
  FROM bench_complaint_draw d
 CROSS JOIN LATERAL (
     SELECT CASE d.state
                -- received 1 to 30 days ago, 8 hours to answer: long past
                WHEN 'breached' THEN %(now)s - (1 + d.r2 * 29) * interval '1 day'
                WHEN 'escalated' THEN %(now)s - (1 + d.r2 * 29) * interval '1 day'
                -- answered, 1 to 9 hours left of a window of 2 to 22 days
                WHEN 'at_risk' THEN %(now)s - (2 + d.r2 * 20) * interval '1 day'
                -- not answered yet, received in the last 3 days, 10 days to answer
                WHEN 'new' THEN %(now)s - d.r2 * interval '3 days'
                -- answered, received in the last 30 days, 45 days to resolve
                ELSE %(now)s - d.r2 * interval '30 days' END AS received,
            CASE WHEN d.state = 'new' THEN 240 ELSE 8 END AS response_hours,
            CASE d.state WHEN 'breached' THEN 120 WHEN 'escalated' THEN 120 WHEN 'new' THEN 1080
                         WHEN 'at_risk' THEN (2 + d.r2 * 20) * 24 + 1 + d.r3 * 8 ELSE 1080 END AS resolution_hours
 ) t;
INSERT INTO crm_complaint (name, kind, subject, partner_id, channel, severity, priority, stage_id, is_closed,
                           company_id, team_id, user_id, date_received, date_first_response,
                           response_deadline, resolution_deadline, response_risk_date, resolution_risk_date,
                           escalated, at_risk_notified, sla_met, quantity_affected,
                           create_uid, write_uid, create_date, write_date)
SELECT %(prefix)s || n, CASE WHEN r3 < 0.05 THEN 'suggestion' ELSE 'complaint' END, 'Bench complaint ' || n,
       (%(customers)s::int[])[1 + n %% %(customer_count)s], 'phone', severity,
       CASE WHEN severity IN ('high', 'critical') THEN '1' ELSE '0' END,
       CASE WHEN responded IS NULL THEN %(stage_new)s ELSE %(stage_investigating)s END, FALSE,
       %(company)s, %(team)s, CASE WHEN n %% 2 = 0 THEN %(user)s END, received, responded,
       response_deadline, resolution_deadline,
       response_deadline - (response_deadline - received) * %(risk_share)s,
       resolution_deadline - (resolution_deadline - received) * %(risk_share)s,
       state = 'escalated', state = 'escalated' OR (state = 'breached' AND r2 < 0.3), FALSE, 0,
       %(uid)s, %(uid)s, %(now)s, %(now)s
  FROM bench_complaint_dates ORDER BY n;
DROP TABLE bench_complaint_draw, bench_complaint_dates;
ANALYZE crm_complaint;
"""

# Reused data: move every date by the time elapsed since the last run, so the mix is unchanged.
REFRESH = """
UPDATE crm_complaint
   SET date_received = date_received + shift, date_first_response = date_first_response + shift,
       response_deadline = response_deadline + shift, resolution_deadline = resolution_deadline + shift,
       response_risk_date = response_risk_date + shift, resolution_risk_date = resolution_risk_date + shift,
       write_date = %(now)s
  FROM (SELECT %(now)s - MAX(write_date) AS shift FROM crm_complaint WHERE name LIKE %(like)s) s
 WHERE name LIKE %(like)s
"""


def generate(env, count):
    """A few customers and COUNT open complaints, in SQL; reused (and brought up to date) when present."""
    cr, company = env.cr, env.company
    now = odoo.fields.Datetime.now()
    cr.execute("SELECT count(*) FROM crm_complaint WHERE name LIKE %s", [PREFIX + "%"])
    present = cr.fetchone()[0]
    if present >= count:
        cr.execute(REFRESH, {"now": now, "like": PREFIX + "%"})
        cr.commit()
        print(f"data: reusing {present} complaints already generated (dates shifted to now)")
        return
    start = time.time()
    cr.execute("DELETE FROM crm_complaint WHERE name LIKE %s", [PREFIX + "%"])
    Partner = env["res.partner"]
    customers = Partner.search([("name", "=like", "Complaint Bench Customer %")], order="id")
    customers |= Partner.create([{"name": f"Complaint Bench Customer {index}", "is_company": True}
                                 for index in range(len(customers) + 1, CUSTOMERS + 1)])
    env.flush_all()
    ref = env.ref
    params = {
        "count": count, "now": now, "prefix": PREFIX, "customers": customers.ids[:CUSTOMERS],
        "customer_count": CUSTOMERS, "company": company.id, "team": ref("crm_industrial.crm_team_complaints").id,
        "user": ref("base.user_admin").id, "uid": SUPERUSER_ID, "risk_share": 0.25,
        "stage_new": ref("crm_industrial.crm_complaint_stage_new").id,
        "stage_investigating": ref("crm_industrial.crm_complaint_stage_investigating").id,
    }
    cr.execute("SELECT setseed(0.42)")
    cr.execute(GENERATE, params)
    cr.commit()
    env.invalidate_all()
    print(f"data: {count} open complaints for {CUSTOMERS} customers, generated in {time.time() - start:.0f} s")




def scan(env, label):
    """First and steady-state runs of the escalation job, then roll everything back."""
    cr, Complaint = env.cr, env["crm.complaint"]
    open_count = Complaint.search_count(Complaint._open_domain())
    breached = Complaint.search_count(Complaint._sla_domain("breached") + [("escalated", "=", False)])
    at_risk = Complaint.search_count(Complaint._sla_domain("at_risk") + [("at_risk_notified", "=", False)])

    def run():
        Complaint._cron_escalate()
        env.flush_all()  # the job's writes, as the cron runner flushes them

    from odoo.addons.crm_industrial.models.crm_complaint import (  # noqa: PLC0415
        ESCALATION_BATCH_DEFAULT,
        ESCALATION_BATCH_PARAM,
    )

    env["ir.config_parameter"].sudo().get_param(ESCALATION_BATCH_PARAM)  # cached, as in a running server

    def batches():
        durations = []
        while True:
            start = time.time()
            _done, remaining = Complaint._escalate_batch(ESCALATION_BATCH_DEFAULT)
            env.flush_all()
            durations.append(time.time() - start)
            if not remaining:
                return durations

    cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'crm.complaint'")
    activities_before = cr.fetchone()[0]
    first, first_queries, durations = timed(cr, batches)
    cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'crm.complaint'")
    activities = cr.fetchone()[0] - activities_before
    steady, steady_queries, _result = timed(cr, run)
    cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'crm.complaint'")
    steady_activities = cr.fetchone()[0] - activities_before - activities
    print(f"[{label}] {open_count} open complaints: {breached} breached not yet escalated, "
          f"{at_risk} at risk not yet notified")
    print(f"[{label}] first run:  {first:7.2f} s, {first_queries:6d} queries, {activities} activities created, "
          f"{len(durations)} batches, longest {max(durations):.2f} s")
    print(f"[{label}] steady run: {steady:7.2f} s, {steady_queries:6d} queries, {steady_activities} activities created")
    cr.rollback()
    env.invalidate_all(flush=False)
    return steady_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--complaints", type=int, default=100_000)
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        cr = env.cr
        generate(env, args.complaints)
        large = scan(env, f"{args.complaints:,}")
        # A tenth of the cases open, the same mix: close the others for this measure only.
        small_count = args.complaints // 10
        cr.execute("""
            UPDATE crm_complaint SET stage_id = %(closed)s, is_closed = TRUE, root_cause_category = 'other',
                                     resolution = 'bench'
             WHERE name LIKE %(like)s AND substring(name FROM %(from)s)::int %% 10 <> 0
        """, {"closed": env.ref("crm_industrial.crm_complaint_stage_closed").id, "like": PREFIX + "%",
              "from": len(PREFIX) + 1})
        env.invalidate_all(flush=False)
        small = scan(env, f"{small_count:,}")
        print(f"steady-state scan: {small} queries at {small_count:,} open complaints, "
              f"{large} queries at {args.complaints:,}")
        if large > small:
            raise SystemExit("the steady-state scan's query count grows with the number of open complaints")


if __name__ == "__main__":
    main()
