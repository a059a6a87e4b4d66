"""Prepares the load test's database (issue 15): the simulated users, the records they open, a
draft notice to 20,000 customers, and (with --start) the notice's publishing and the nightly jobs.

Usage (from bench/load_test.sh):
    prepare.py --conf C --db D --sample sample.json          users, sample, draft notice
    prepare.py --conf C --db D --nightly                     wake the nightly jobs now
    prepare.py --conf C --db D --report REPORT.json          after the run: the notice's emails
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench_tools import odoo_env  # noqa: E402

import odoo  # noqa: E402

PASSWORD = "load-test"
SALES, QUALITY = 14, 6
NOTICE_TITLE = "Load test: coal allocation"
RECIPIENTS = 20_000
NIGHTLY = ["ir_cron_key_account_recompute", "ir_cron_credit_figures_refresh", "ir_cron_complaint_escalation",
           "ir_cron_visit_plan_refresh", "ir_cron_birthday_reminders", "ir_cron_supply_notice_expire"]


def user(env, login, name, groups):
    Users = env["res.users"].with_context(no_reset_password=True)
    existing = Users.search([("login", "=", login)])
    if existing:
        return existing
    return Users.create({"login": login, "name": name, "password": PASSWORD, "email": f"{login}@example.com",
                         "groups_id": [odoo.Command.set([env.ref(group).id for group in groups])]})


def prepare(env, sample_path):
    sales = [user(env, f"load_sales_{n:02}", f"Load Sales {n:02}",
                  ["base.group_user", "sales_team.group_sale_salesman_all_leads"]) for n in range(1, SALES + 1)]
    quality = [user(env, f"load_quality_{n:02}", f"Load Quality {n:02}",
                    ["base.group_user", "crm_industrial.group_complaint_user"]) for n in range(1, QUALITY + 1)]
    user(env, "load_notices", "Load Notice Manager", ["base.group_user", "crm_industrial.group_supply_notice_manager",
                                                      "sales_team.group_sale_salesman_all_leads"])
    company = env.company
    customers = env["res.partner"].search([("is_company", "=", True), ("email", "!=", False),
                                           ("id", "not in", env["res.company"].search([]).partner_id.ids)], order="id")
    open_stages = env["crm.complaint.stage"].search([("is_closed", "=", False)])
    complaints = env["crm.complaint"].search([("is_closed", "=", False), ("to_triage", "=", False)], limit=500)
    sample = {
        "password": PASSWORD,
        "sales_logins": [u.login for u in sales], "quality_logins": [u.login for u in quality],
        "customer_ids": customers[:2000].ids[::4],
        "order_ids": env["sale.order"].search([], limit=500, order="id desc").ids,
        "product_ids": env["product.product"].search([("sale_ok", "=", True)], limit=30).ids,
        "complaint_ids": complaints.ids, "open_stage_ids": open_stages.ids,
    }
    with open(sample_path, "w", encoding="utf-8") as file:
        json.dump(sample, file)
    # the emails stay queued so that each recipient's can be counted (no SMTP server here)
    env.ref("mail.ir_cron_mail_scheduler_action").active = False
    old = env["crm.supply.notice"].search([("title", "=", NOTICE_TITLE)])
    old.recipient_ids.mail_id.unlink()
    env.cr.execute("DELETE FROM crm_supply_notice WHERE id IN %s", [tuple(old.ids) or (0,)])
    notice = env["crm.supply.notice"].create({
        "title": NOTICE_TITLE, "notice_type": "shortage", "severity": "warning", "company_id": company.id,
        "message": "<p>Coal allocation for the next quarter.</p>", "recommended_action": "Plan your stock."})
    chosen = customers[:RECIPIENTS]
    env["crm.supply.notice.recipient"].create([{"notice_id": notice.id, "partner_id": partner.id}
                                               for partner in chosen])
    env.cr.commit()
    print(f"prepared: {len(sales)} sales and {len(quality)} quality users, notice {notice.id} to "
          f"{len(chosen)} customers (draft), {len(complaints)} open complaints to move")


def nightly(env):
    for xmlid in NIGHTLY:
        env.ref(f"crm_industrial.{xmlid}")._trigger()
    env.cr.commit()
    print(f"woken: {', '.join(NIGHTLY)}")


def report(env, path):
    notice = env["crm.supply.notice"].search([("title", "=", NOTICE_TITLE)], limit=1)
    env.cr.execute("""
        SELECT count(*), count(r.mail_id), count(DISTINCT r.mail_id),
               count(*) FILTER (WHERE r.send_status = 'queued')
          FROM crm_supply_notice_recipient r WHERE r.notice_id = %s""", [notice.id])
    recipients, with_mail, distinct_mails, queued = env.cr.fetchone()
    # the emails carry no model (see crm.supply.notice.recipient): they are found by the notice's title
    env.cr.execute("""
        SELECT count(*) FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
         WHERE m.subject LIKE %s""", [f"%{NOTICE_TITLE}%"])
    mails = env.cr.fetchone()[0]
    result = {"notice_state": notice.state, "recipients": recipients, "recipients_with_email": with_mail,
              "distinct_emails": distinct_mails, "queued": queued, "emails_of_notice": mails,
              "exactly_one_each": recipients == with_mail == distinct_mails == mails}
    env.ref("mail.ir_cron_mail_scheduler_action").active = True
    env.cr.commit()
    with open(path, "w", encoding="utf-8") as file:
        json.dump(result, file, indent=1)
    print(json.dumps(result, indent=1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sample")
    parser.add_argument("--nightly", action="store_true")
    parser.add_argument("--report")
    args = parser.parse_args()
    with odoo_env(args.conf, args.db) as env:
        if args.sample:
            prepare(env, args.sample)
        if args.nightly:
            nightly(env)
        if args.report:
            report(env, args.report)


if __name__ == "__main__":
    main()
