"""The tier shown on a sales order: the customer's tier for its company at the order's date."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_key_account import KeyAccountCommon


@tagged("post_install", "-at_install")
class TestOrderTier(KeyAccountCommon):
    def _quotation(self, partner, days_ago, company=None):
        env = self.env(context=dict(self.env.context, allowed_company_ids=(company or self.env.company).ids))
        return env["sale.order"].with_company(company or self.env.company).create({
            "partner_id": partner.id, "company_id": (company or self.env.company).id,
            "date_order": fields.Datetime.now() - timedelta(days=days_ago),
            "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})]})

    def _set_tier(self, partner, tier, days_ago, company=None):
        partner.with_company(company or self.env.company).with_user(self.sales_manager).key_account_tier_id = tier
        change = self.env["crm.key.account.tier.history"].search(
            [("partner_id", "=", partner.id)], order="id desc", limit=1)
        change.sudo().date = fields.Datetime.now() - timedelta(days=days_ago)

    def test_tier_at_the_order_date(self):
        alpha = self.customers[0]
        self._set_tier(alpha, self.regular, days_ago=60)
        self._set_tier(alpha, self.key, days_ago=10)
        orders = [self._quotation(alpha, days_ago) for days_ago in (90, 30, 1)]
        self.assertEqual([order.key_account_tier_id for order in orders], [self.regular, self.regular, self.key],
                         "before the first tier the first tier given is shown, then the tier in force")
        contact_order = self._quotation(self.env["res.partner"].create({
            "name": "Li Na", "parent_id": alpha.id}), 30)
        self.assertEqual(contact_order.key_account_tier_id, self.regular, "a contact's order: its company's tier")

    def test_confirmation_dates_the_order_and_its_tier_now(self):
        """Confirming re-dates the order to now (Odoo): it gets the tier in force now, the current
        one, whatever the tier at the quotation's date was; a quotation dated now gets it too."""
        alpha = self.customers[0]
        self._set_tier(alpha, self.regular, days_ago=60)
        self._set_tier(alpha, self.key, days_ago=10)
        order = self._quotation(alpha, 30)
        self.assertEqual(order.key_account_tier_id, self.regular)
        order.action_confirm()
        self.assertGreaterEqual(order.date_order, fields.Datetime.now() - timedelta(minutes=1))
        self.assertEqual(order.key_account_tier_id, self.key)
        self.assertEqual(self._quotation(alpha, 0).key_account_tier_id, self.key)
        future = self._quotation(alpha, -3)
        self.assertEqual(future.key_account_tier_id, self.key, "dated later: the current tier")

    def test_tier_does_not_move_with_later_changes(self):
        alpha = self.customers[0]
        self._set_tier(alpha, self.regular, days_ago=60)
        order = self._quotation(alpha, 30)
        self._set_tier(alpha, self.strategic, days_ago=0)
        self.assertEqual(order.key_account_tier_id, self.regular)

    def test_orders_made_before_the_first_classification_get_a_tier(self):
        alpha = self.customers[0]
        order = self._quotation(alpha, 20)
        self.assertFalse(order.key_account_tier_id)
        self._invoice(alpha, 1000)
        self.Stat._recompute()
        self.assertEqual(alpha.key_account_tier_id, self.strategic)
        self.assertEqual(order.key_account_tier_id, self.strategic)

    def test_tier_of_the_order_company(self):
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        self.sales_manager.company_ids |= other
        alpha = self.customers[0]
        self._set_tier(alpha, self.key, days_ago=5)
        alpha.with_company(other).with_user(self.sales_manager).key_account_tier_id = self.occasional
        here, there = self._quotation(alpha, 1), self._quotation(alpha, 1, company=other)
        self.assertEqual(here.key_account_tier_id, self.key)
        self.assertEqual(there.key_account_tier_id, self.occasional)

    def test_current_tier_without_history(self):
        alpha = self.customers[0]
        alpha.with_user(self.sales_manager).key_account_tier_id = self.key
        self.env["crm.key.account.tier.history"].sudo().search([("partner_id", "=", alpha.id)]).unlink()
        self.assertEqual(self._quotation(alpha, 400).key_account_tier_id, self.key)


@tagged("post_install", "-at_install")
class TestTierBounds(KeyAccountCommon):
    def test_tier_numbers_are_bounded(self):
        for vals in ({"pareto_limit": 120}, {"pareto_limit": -1}, {"min_revenue": -5}, {"credit_limit": -1},
                     {"visit_frequency_days": -7}, {"visit_frequency_days": 100000}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.regular.write(vals)
                self.regular.flush_recordset()
        self.regular.write({"visit_frequency_days": 365, "pareto_limit": 100})

    def test_service_hours_are_bounded(self):
        level = self.regular.service_level_ids[:1]
        for vals in ({"response_hours": 0}, {"response_hours": 8, "resolution_hours": 4},
                     {"response_hours": 8, "resolution_hours": 100000}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                level.write(vals)
                level.flush_recordset()

    def test_inactivity_period_is_bounded(self):
        for days in (0, 731, 100000):
            with self.subTest(days=days), self.assertRaises(ValidationError):
                self.env.company.key_account_inactive_days = days
                self.env.company.flush_recordset()
        self.env.company.key_account_inactive_days = 730
