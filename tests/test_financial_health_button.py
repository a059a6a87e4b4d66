"""The customer's Financial Health button behaves as Odoo's stat buttons: no button showing a
meaningless 0. Without snapshots, accountants who only read them see nothing, credit controllers
(who enter snapshots) a button to add the first; with snapshots, everyone who reads them sees the
button with the count (from the form's one query of counts, res_partner_record_counts.py)."""

import re
from datetime import timedelta

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .test_credit_rating import CreditCommon


@tagged("post_install", "-at_install")
class TestFinancialHealthButton(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # reads the snapshots (the Accounting & Credit tab), does not enter them
        cls.accountant = new_test_user(cls.env, login="crmi_fh_accountant", groups="account.group_account_user")

    def _shown_buttons(self, user):
        """{button name: its text} of the credit-history buttons the web client shows `user` on the
        customer's form: the view as the user gets it (groups applied), each `invisible`
        evaluated on the customer's values as the user reads them."""
        Partner = self.env["res.partner"].with_user(user)
        arch = Partner.get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        history = etree.fromstring(arch).xpath("//div[@name='crm_industrial_credit_history']")
        self.assertEqual(len(history), 1)
        customer = self.customer.with_user(user)
        customer.invalidate_recordset()
        shown = {}
        for button in history[0].xpath("./button"):
            expression = button.get("invisible") or "False"
            names = set(re.findall(r"[a-z_]+", expression)) & set(customer._fields)
            if not safe_eval(expression, {name: customer[name] for name in names}):
                shown[button.get("name")] = " ".join("".join(button.itertext()).split())
        return shown

    def test_no_zero_button(self):
        self.assertFalse(self.accountant.has_group("crm_industrial.group_credit_controller"))
        self.assertEqual(self.customer.financial_snapshot_count, 0)
        self.assertEqual(self._shown_buttons(self.accountant), {}, "nothing to open, nothing to add")
        self.assertEqual(self._shown_buttons(self.controller),
                         {"action_new_financial_snapshot": "Add a Financial Health Snapshot"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.accountant).action_new_financial_snapshot()

    def test_the_first_snapshot_from_the_button(self):
        action = self.customer.with_user(self.controller).action_new_financial_snapshot()
        self.assertEqual((action["res_model"], action["target"]), ("crm.customer.financial.snapshot", "new"))
        Snapshot = self.env["crm.customer.financial.snapshot"].with_user(self.controller)
        with Form(Snapshot.with_context(**action["context"])) as form:
            form.date = self.today - timedelta(days=30)
            form.current_ratio = 1.4
            form.source = "audited"
        self.assertEqual(form.record.partner_id, self.customer)
        for user in (self.controller, self.accountant):
            self.assertEqual(self._shown_buttons(user), {"action_open_financial_snapshots": "Financial Health"})
            self.assertEqual(self.customer.with_user(user).financial_snapshot_count, 1, "the count on the button")
        listed = self.customer.with_user(self.accountant).action_open_financial_snapshots()
        self.assertEqual(self.env["crm.customer.financial.snapshot"].with_user(self.accountant).search(
            listed["domain"]), form.record)
