"""Who may do what: every role against every model of the addon, as data.

Each cell lists the operations a role may perform on a model: r(ead), w(rite),
c(reate), u(nlink). The rights are checked in a running Odoo through its access
control lists, then a second company's records are checked invisible to a user of
the first. Guarded fields and actions have their own tests in each pillar's file.
"""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon

ROLES = {
    "sales own": "sales_team.group_sale_salesman",
    "sales all": "sales_team.group_sale_salesman_all_leads",
    "sales manager": "sales_team.group_sale_manager",
    "complaint staff": "crm_industrial.group_complaint_user",
    "complaint manager": "crm_industrial.group_complaint_manager",
    "notice manager": "crm_industrial.group_supply_notice_manager",
    "billing": "account.group_account_invoice",
    "accountant": "account.group_account_user",
    "personal data": "base.group_user,crm_industrial.group_buying_center_personal",
    "portal": "base.group_portal",
    "public": "base.group_public",
    "credit controller": "crm_industrial.group_credit_controller",
}

# Roles in ROLES order:
# sales own, sales all, sales mgr, complaint staff, complaint mgr, notice mgr, billing, accountant,
# personal data, portal, public, credit controller
MATRIX = {
    "crm.buying.role":
        ("r", "r", "rwcu", "r", "r", "r", "r", "r", "r", "", "", "r"),
    "crm.key.account.tier":
        ("r", "r", "rwcu", "r", "r", "r", "r", "r", "r", "", "", "r"),
    "crm.key.account.tier.service.level":
        ("r", "r", "rwcu", "r", "r", "r", "r", "r", "r", "", "", "r"),
    "crm.key.account.tier.history":
        ("r", "r", "r", "r", "r", "r", "r", "r", "r", "", "", "r"),
    "crm.key.account.stat":
        ("r", "r", "r", "r", "r", "r", "r", "r", "r", "", "", "r"),
    "crm.complaint":
        ("rwc", "rwc", "rwc", "rwc", "rwcu", "rwc", "", "r", "", "", "", "r"),
    "crm.complaint.category":
        ("r", "r", "r", "r", "rwcu", "r", "r", "r", "r", "", "", "r"),
    "crm.complaint.stage":
        ("r", "r", "r", "r", "rwcu", "r", "r", "r", "r", "", "", "r"),
    "crm.complaint.compensation.wizard":
        ("rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "", "", "rwc"),
    "crm.supply.notice":
        ("rwc", "rwc", "rwc", "r", "r", "rwcu", "r", "r", "r", "", "", "r"),
    "crm.supply.notice.recipient":
        ("rwcu", "rwcu", "rwcu", "r", "r", "rwcu", "r", "r", "r", "", "", "r"),
    "crm.credit.rating":
        ("", "", "", "", "", "", "r", "r", "", "", "", "rc"),
    "crm.customer.financial.snapshot":
        ("", "", "", "", "", "", "r", "r", "", "", "", "rwcu"),
    "crm.credit.hold":
        ("r", "r", "r", "", "", "r", "r", "r", "", "", "", "rw"),
    "crm.credit.hold.release.wizard":
        ("", "", "", "", "", "", "", "", "", "", "", "rwc"),
    "crm.credit.terms.wizard":
        ("", "", "", "", "", "", "", "", "", "", "", "rwc"),
    # strategy: salespeople edit their customers' (record rules), readers read all
    "crm.customer.insight":
        ("rwc", "rwc", "rwcu", "r", "r", "rwc", "", "r", "", "", "", "r"),
    "crm.account.plan":
        ("rwc", "rwc", "rwcu", "r", "r", "rwc", "", "r", "", "", "", "r"),
    "crm.account.plan.execution":
        ("r", "r", "r", "r", "r", "r", "", "r", "", "", "", "r"),
    "crm.account.plan.line":
        ("rwcu", "rwcu", "rwcu", "r", "r", "rwcu", "", "r", "", "", "", "r"),
    "crm.account.plan.objective":
        ("rwcu", "rwcu", "rwcu", "r", "r", "rwcu", "", "r", "", "", "", "r"),
    "crm.account.plan.swot":
        ("rwcu", "rwcu", "rwcu", "r", "r", "rwcu", "", "r", "", "", "", "r"),
    "crm.account.plan.competitor":
        ("rwcu", "rwcu", "rwcu", "r", "r", "rwcu", "", "r", "", "", "", "r"),
    # quality staff keep the parameters, products' measured values and customers' specifications
    "crm.quality.parameter":
        ("r", "r", "rwcu", "rwcu", "rwcu", "r", "r", "r", "r", "", "", "r"),
    "crm.product.quality.value":
        ("r", "r", "rwcu", "rwcu", "rwcu", "r", "r", "r", "r", "", "", "r"),
    "crm.customer.spec":
        ("r", "r", "rwcu", "rwcu", "rwcu", "r", "", "", "", "", "", ""),
    "crm.customer.spec.line":
        ("r", "r", "rwcu", "rwcu", "rwcu", "r", "", "", "", "", "", ""),
    # an override is recorded by a quality user and never changed
    "crm.spec.override":
        ("r", "r", "r", "rc", "rc", "r", "", "", "", "", "", ""),
    "crm.spec.override.wizard":
        ("", "", "", "rwc", "rwc", "", "", "", "", "", "", ""),
    # written by the daily refresh only
    "crm.visit.plan":
        ("r", "r", "r", "r", "r", "r", "r", "r", "r", "", "", "r"),
    # an SQL view over posted invoices
    "crm.customer.whitespace":
        ("r", "r", "r", "", "", "r", "", "", "", "", "", ""),
    # written by the refresh only; salespeople read the summary through res.partner
    "crm.customer.credit.stat":
        ("", "", "", "", "", "", "", "r", "", "", "", "r"),
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {
            role: new_test_user(cls.env, login=f"crmi_matrix_{index}", groups=groups)
            for index, (role, groups) in enumerate(ROLES.items())}

    def test_every_role_on_every_model(self):
        addon_models = {name for name, model in self.env.registry.items()
                        if model._original_module == "crm_industrial" and not model._abstract}
        self.assertEqual(set(MATRIX), addon_models - {"crm.industrial.demo"}, "the matrix lists every model")
        access = self.env["ir.model.access"]
        found = {}
        for model in MATRIX:
            found[model] = tuple(
                "".join(letter for letter, operation in OPERATIONS.items()
                        if access.with_user(user).check(model, operation, raise_exception=False))
                for user in self.role_users.values())
        self.assertEqual(found, MATRIX)

    def test_second_company_records_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other Coal Company"})
        customer = self.env["res.partner"].create({
            "name": "Far Away Steel", "is_company": True, "company_id": other.id})
        complaint = self.env["crm.complaint"].with_company(other).create({
            "subject": "Wet coal", "partner_id": customer.id, "company_id": other.id})
        notice = self.env["crm.supply.notice"].with_company(other).create({
            "title": "Rail strike", "message": "Deliveries by rail stop for a week.", "company_id": other.id})
        recipient = self.env["crm.supply.notice.recipient"].create({"notice_id": notice.id, "partner_id": customer.id})
        spec = self.env["crm.customer.spec"].create({
            "partner_id": customer.id, "company_id": other.id, "categ_id": self.product.categ_id.id,
            "line_ids": [Command.create({"parameter_id": self.env["crm.quality.parameter"].create(
                {"name": "Ash (matrix)", "unit": "%", "company_id": other.id}).id, "max_value": 20})]})
        groups = ("sales_team.group_sale_manager,crm_industrial.group_complaint_manager,"
                  "crm_industrial.group_supply_notice_manager")
        manager = new_test_user(self.env, login="crmi_matrix_first_company", groups=groups)
        self.assertEqual(manager.company_ids, self.env.company)
        for record in (complaint, notice, recipient, spec, spec.line_ids, spec.line_ids.parameter_id):
            self.assertFalse(self.env[record._name].with_user(manager).search([("id", "=", record.id)]), record._name)
        # The same rights in both companies see them, once the second company is selected.
        both = new_test_user(self.env, login="crmi_matrix_both_companies", groups=groups,
                             company_ids=[Command.set([self.env.company.id, other.id])])
        for record in (complaint, notice, recipient, spec, spec.line_ids, spec.line_ids.parameter_id):
            self.assertTrue(self.env[record._name].with_user(both).with_context(allowed_company_ids=[other.id]).search(
                [("id", "=", record.id)]), record._name)
