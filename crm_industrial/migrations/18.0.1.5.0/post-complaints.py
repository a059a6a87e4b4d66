"""Complaints, 18.0.1.5.0: one source of truth for "closed", and accountants are the accounting groups.

- is_closed is now computed from the stage (it was a stored related field that could be written
  through): every row takes its stage's flag again.
- A case in a working stage (neither resolved nor closing) is open: it has no resolution or closing
  date; a case in a closing stage without a resolution date gets its closing date.
- The "all complaints" record rule is noupdate: billing rights (account.group_account_invoice) no
  longer see every complaint; the accounting groups do.
"""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE crm_complaint complaint
           SET is_closed = COALESCE(stage.is_closed, FALSE)
          FROM crm_complaint_stage stage
         WHERE stage.id = complaint.stage_id AND complaint.is_closed IS DISTINCT FROM COALESCE(stage.is_closed, FALSE)
    """)
    cr.execute("UPDATE crm_complaint SET is_closed = FALSE WHERE stage_id IS NULL AND is_closed")
    cr.execute("""
        UPDATE crm_complaint complaint
           SET date_resolved = NULL, date_closed = NULL
          FROM crm_complaint_stage stage
         WHERE stage.id = complaint.stage_id AND NOT COALESCE(stage.is_closed, FALSE)
           AND NOT COALESCE(stage.is_resolved, FALSE)
           AND (complaint.date_resolved IS NOT NULL OR complaint.date_closed IS NOT NULL)
     RETURNING complaint.id
    """)
    reopened = [row[0] for row in cr.fetchall()]
    cr.execute("""
        UPDATE crm_complaint complaint
           SET date_closed = NULL
          FROM crm_complaint_stage stage
         WHERE stage.id = complaint.stage_id AND NOT COALESCE(stage.is_closed, FALSE)
           AND complaint.date_closed IS NOT NULL
    """)
    cr.execute("""
        UPDATE crm_complaint
           SET date_resolved = date_closed
         WHERE is_closed AND date_resolved IS NULL AND date_closed IS NOT NULL
     RETURNING id
    """)
    resolved = [row[0] for row in cr.fetchall()]

    env = api.Environment(cr, SUPERUSER_ID, {})
    complaints = env["crm.complaint"].browse(reopened + resolved)
    if complaints:
        complaints.invalidate_recordset()
        for fname in ("response_hours", "resolution_hours", "sla_met", "sla_compliance"):
            env.add_to_compute(complaints._fields[fname], complaints)
        complaints.flush_recordset()

    rule = env.ref("crm_industrial.crm_complaint_rule_all", raise_if_not_found=False)
    if rule:
        rule.write({
            "name": "Complaints: all, for quality staff, all-leads salespeople and accountants",
            "groups": [Command.set([
                env.ref("crm_industrial.group_complaint_user").id,
                env.ref("sales_team.group_sale_salesman_all_leads").id,
                env.ref("account.group_account_user").id,
                env.ref("account.group_account_manager").id,
            ])],
        })
