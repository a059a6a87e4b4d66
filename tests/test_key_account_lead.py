"""The 'Key roles not involved' warning on opportunities."""

from odoo.tests import Form, tagged

from .test_key_account import KeyAccountCommon


@tagged("post_install", "-at_install")
class TestKeyRoleWarning(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_roles = cls.env["crm.buying.role"].search([("key_role", "=", True)])
        cls.purchasing = cls.key_roles[:1]

    def _opportunity(self, customer):
        return self.env["crm.lead"].create({
            "name": "Coal contract", "type": "opportunity", "partner_id": customer.id,
            "user_id": self.sales_user.id})

    def test_no_warning_for_an_ordinary_customer(self):
        self.assertFalse(self._opportunity(self.customers[0]).missing_key_role_ids)

    def test_warning_for_a_key_account(self):
        alpha = self.customers[0]
        alpha.with_user(self.sales_manager).key_account_tier_id = self.key
        self.assertTrue(self.key.is_key_account)
        lead = self._opportunity(alpha)
        self.assertEqual(lead.missing_key_role_ids, self.key_roles)
        self.assertIn("Purchasing Manager", lead.missing_key_role_ids.mapped("name"))

    def test_no_warning_for_a_lower_tier_without_buying_center(self):
        alpha = self.customers[0]
        alpha.with_user(self.sales_manager).key_account_tier_id = self.regular
        self.assertFalse(self._opportunity(alpha).missing_key_role_ids)

    def test_warning_for_a_customer_with_a_buying_center(self):
        beta = self.customers[1]
        buyer = self.env["res.partner"].create({
            "name": "Zhang Wei", "parent_id": beta.id, "buying_role_ids": [(6, 0, self.purchasing.ids)]})
        lead = self._opportunity(beta)
        self.assertEqual(lead.missing_key_role_ids, self.key_roles)
        with Form(lead.with_user(self.sales_user)) as form:
            form.buying_center_contact_ids.add(buyer)
        self.assertEqual(lead.missing_key_role_ids, self.key_roles - self.purchasing)
