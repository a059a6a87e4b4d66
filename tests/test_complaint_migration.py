"""The 18.0.1.5.0 post-migration of complaints, run on rows left inconsistent by 18.0.1.4.0."""

import importlib.util
from datetime import datetime
from pathlib import Path

from odoo import Command
from odoo.tests import tagged

from .test_complaint import ComplaintCommon

SCRIPT = Path(__file__).parents[1] / "crm_industrial" / "migrations" / "18.0.1.5.0" / "post-complaints.py"


def _migrate(cr, version):
    spec = importlib.util.spec_from_file_location("crm_industrial_post_complaints", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, version)


@tagged("post_install", "-at_install")
class TestComplaintMigration(ComplaintCommon):
    def test_rows_and_rule_made_consistent(self):
        investigating = self._complaint(stage_id=self.stage_investigating.id,
                                        date_received=datetime(2026, 11, 2, 8, 0))
        closed = self._complaint(root_cause_category="material", resolution="Re-blended.",
                                 date_received=datetime(2026, 11, 2, 8, 0))
        closed.stage_id = self.stage_closed
        self.env.flush_all()
        # What 18.0.1.4.0 let happen: closed by the flag in a working stage, resolved while open,
        # a closing stage without resolution date; billing users in the "all complaints" rule.
        self.env.cr.execute("""UPDATE crm_complaint SET is_closed = TRUE, date_resolved = '2026-11-03 08:00',
                                      date_closed = '2026-11-04 08:00' WHERE id = %s""", [investigating.id])
        self.env.cr.execute("UPDATE crm_complaint SET date_resolved = NULL WHERE id = %s", [closed.id])
        rule = self.env.ref("crm_industrial.crm_complaint_rule_all")
        rule.groups = [Command.link(self.env.ref("account.group_account_invoice").id)]
        self.env.invalidate_all()

        _migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()

        self.assertFalse(investigating.is_closed)
        self.assertFalse(investigating.date_resolved or investigating.date_closed)
        self.assertFalse(investigating.resolution_hours)
        self.assertTrue(closed.is_closed)
        self.assertEqual(closed.date_resolved, closed.date_closed)
        self.assertNotIn(self.env.ref("account.group_account_invoice"), rule.groups)
        self.assertIn(self.env.ref("account.group_account_user"), rule.groups)
        self.assertIn(self.env.ref("account.group_account_manager"), rule.groups)
