"""Who may set, lock and recompute key-account tiers (server-side, whatever the caller sends)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .test_key_account import KeyAccountCommon

AUTOMATIC = {"crm_industrial_tier_automatic": True}


@tagged("post_install", "-at_install")
class TestTierWriteAccess(KeyAccountCommon):
    def _history(self, partner):
        return self.env["crm.key.account.tier.history"].search([("partner_id", "=", partner.id)])

    def test_salesperson_cannot_set_tier_with_automatic_context(self):
        alpha = self.customers[0]
        as_sales = alpha.with_user(self.sales_user).with_context(**AUTOMATIC)
        for vals in ({"key_account_tier_id": self.strategic.id},
                     {"tier_locked": True, "tier_lock_reason": "Friend of the boss"},
                     {"key_account_tier_id": self.strategic.id, "tier_locked": True,
                      "tier_lock_reason": "Friend of the boss"},
                     {"tier_lock_reason": "Friend of the boss"}):
            with self.assertRaises(AccessError):
                as_sales.write(vals)
        alpha.invalidate_recordset()
        self.assertFalse(alpha.key_account_tier_id)
        self.assertFalse(alpha.tier_locked)
        self.assertFalse(alpha.tier_lock_reason)
        self.assertFalse(self._history(alpha))

    def test_salesperson_cannot_create_customer_with_tier(self):
        Partner = self.env["res.partner"].with_user(self.sales_user).with_context(**AUTOMATIC)
        for vals in ({"key_account_tier_id": self.strategic.id},
                     {"tier_locked": True, "tier_lock_reason": "Promised"}):
            with self.assertRaises(AccessError):
                Partner.create([{"name": "Epsilon Cement", "is_company": True, **vals}])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Epsilon Cement")]))
        plain = Partner.create({"name": "Epsilon Cement", "is_company": True})
        self.assertFalse(plain.sudo().key_account_tier_id)

    def test_manager_sets_tier_by_hand_even_with_automatic_context(self):
        alpha = self.customers[0]
        alpha.with_user(self.sales_manager).with_context(**AUTOMATIC).write({"key_account_tier_id": self.key.id})
        history = self._history(alpha)
        self.assertEqual(history.new_tier_id, self.key)
        self.assertFalse(history.automatic)
        self.assertEqual(history.reason, "Set by hand")
        self.assertEqual(history.user_id, self.sales_manager)

    def test_manager_creates_customer_with_tier_logged_by_hand(self):
        partner = self.env["res.partner"].with_user(self.sales_manager).with_context(**AUTOMATIC).create({
            "name": "Zeta Glass", "is_company": True, "key_account_tier_id": self.regular.id})
        self.assertEqual(partner.key_account_tier_id, self.regular)
        history = self._history(partner)
        self.assertEqual((history.old_tier_id, history.new_tier_id, history.automatic, history.reason),
                         (self.env["crm.key.account.tier"], self.regular, False, "Set by hand"))

    def test_classification_started_by_salesperson_is_automatic(self):
        alpha = self.customers[0]
        self._invoice(alpha, 1000)
        alpha.with_user(self.sales_user).action_recompute_key_account()
        self.assertEqual(alpha.key_account_tier_id, self.strategic)
        history = self._history(alpha)
        self.assertTrue(history.automatic)
        self.assertEqual(history.reason, "Classification")


@tagged("post_install", "-at_install")
class TestRecomputeAccess(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="crmi_ka_portal", groups="base.group_portal")
        cls.internal_user = new_test_user(cls.env, login="crmi_ka_internal", groups="base.group_user")

    def test_portal_user_cannot_recompute(self):
        self._invoice(self.customers[0], 1000)
        partner = self.portal_user.partner_id
        with self.assertRaises(AccessError):
            partner.with_user(self.portal_user).action_recompute_key_account()
        with self.assertRaises(AccessError):
            self.customers.with_user(self.portal_user).action_recompute_key_account()
        self.assertFalse(self.Stat.search([("partner_id", "in", self.customers.ids)]))

    def test_internal_user_without_sales_rights_cannot_recompute(self):
        with self.assertRaises(AccessError):
            self.customers.with_user(self.internal_user).action_recompute_key_account()

    def test_salesperson_recomputes_only_the_selection(self):
        for customer, amount in zip(self.customers, (5000, 3000, 1000, 200), strict=False):
            self._invoice(customer, amount)
        self.customers[:2].with_user(self.sales_user).action_recompute_key_account()
        self.assertEqual(self.Stat.search([("partner_id", "in", self.customers.ids)]).partner_id,
                         self.customers[:2])
        self.assertFalse(self.customers[3].key_account_tier_id)

    def test_recompute_is_bounded(self):
        many = self.env["res.partner"].create([{"name": f"Buyer {n}", "is_company": True} for n in range(201)])
        with self.assertRaises(UserError):
            many.with_user(self.sales_user).action_recompute_key_account()
