"""The 18.0.1.5.0 post-migration of complaints, run on rows left inconsistent by 18.0.1.4.0."""

import importlib.util
from datetime import datetime
from pathlib import Path

from odoo import Command
from odoo.tests import tagged

from .test_complaint import ComplaintCommon

MIGRATIONS = Path(__file__).parents[1] / "crm_industrial" / "migrations"
SCRIPT = MIGRATIONS / "18.0.1.5.0" / "post-complaints.py"
TIMEZONE_SCRIPT = MIGRATIONS / "18.0.1.9.0" / "post-complaint-mail-timezone.py"


def _migrate(cr, version, script=SCRIPT):
    spec = importlib.util.spec_from_file_location(f"crm_industrial_{script.stem.replace('-', '_')}", script)
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

    def test_complaint_emails_promise_in_the_customers_time_zone_after_upgrade(self):
        """18.0.1.9.0: the stage e-mails of a database made before give their dates through
        _promise_time, in English and in Chinese; an edited body keeps its other changes."""
        self.env["res.lang"]._activate_lang("zh_CN")
        template = self.env.ref("crm_industrial.mail_template_complaint_received")
        new_expression = "object._promise_time(object.response_deadline)"
        old_expression = ("format_datetime(object.response_deadline, tz=object._rating_get_partner().tz, "
                          "dt_format='short')")
        # the bodies as text (Markup.replace would escape the quotes of the expression)
        english = str(template.body_html).replace(new_expression, old_expression) + "<p>Our own line</p>"
        chinese = str(template.with_context(lang="zh_CN").body_html).replace(new_expression, old_expression)
        template.body_html = english
        template.with_context(lang="zh_CN").body_html = chinese
        self.env.flush_all()
        self.env.invalidate_all()
        for body in (template.body_html, template.with_context(lang="zh_CN").body_html):
            self.assertIn(old_expression, str(body), "the body as 18.0.1.8.0 left it")

        _migrate(self.env.cr, "18.0.1.8.0", TIMEZONE_SCRIPT)
        self.env.invalidate_all()

        for body in (template.body_html, template.with_context(lang="zh_CN").body_html):
            self.assertIn(new_expression, str(body))
            self.assertNotIn(old_expression, str(body))
        self.assertIn("Our own line", str(template.body_html))
