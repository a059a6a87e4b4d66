"""Order holds: each rule warns or holds, a held order is not confirmed, a credit controller's
release is kept as a record, expires, and does not cover a bigger amount."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .credit_common import CreditCommon as FiguresCommon
from .test_credit_rating import CreditCommon

ALL_OFF = {
    "credit_hold_over_limit": "off", "credit_hold_overdue_amount": "off", "credit_hold_overdue_days": "off",
    "credit_hold_rating": "off", "credit_hold_review_expired": "off",
}


@tagged("post_install", "-at_install")
class TestCreditHold(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({**ALL_OFF, "account_use_credit_limit": True})
        cls.customer.write({"credit_limit": 5000.0})

    def _policy(self, **values):
        self.company.write({**ALL_OFF, **values})

    def _quotation(self, qty=10.0):
        """A quotation of qty x 120 by the salesperson."""
        return self.env["sale.order"].with_user(self.sales_user).create({
            "partner_id": self.customer.id, "user_id": self.sales_user.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty,
                                           "price_unit": 120.0, "tax_id": [Command.clear()]})],
        })

    def _release(self, order, reason="Parent company guarantee received", valid_until=False):
        hold = order.credit_hold_ids.filtered(lambda hold: hold.state == "held")
        self.assertEqual(len(hold), 1)
        action = hold.with_user(self.controller).action_open_release_wizard()
        wizard = self.env[action["res_model"]].with_user(self.controller).with_context(action["context"]).create({
            "reason": reason, "valid_until": valid_until})
        wizard.action_release()
        return hold

    # ------------------------------------------------------------------ rules

    def test_over_limit_hold_refuses_confirmation(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)  # 12,000 against a limit of 5,000
        self.assertEqual(order.credit_hold_state, "held")
        self.assertIn("Over credit limit", order.credit_hold_message)
        hold = order.credit_hold_ids
        self.assertEqual((hold.state, hold.partner_id, hold.amount), ("held", self.customer, 12000.0))
        self.assertIn("Over credit limit", hold.rules)
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            order.with_user(self.sales_user).action_confirm()
        with self.assertRaisesRegex(UserError, "held"):
            order.action_confirm()  # nobody confirms a held order, not even the superuser
        self.assertEqual(order.state, "draft")

    def test_over_limit_within_the_limit(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=10)  # 1,200
        self.assertEqual(order.credit_hold_state, "ok")
        self.assertFalse(order.credit_hold_ids)
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")
        # The confirmed order counts in the exposure of the next one (Odoo's credit_to_invoice).
        self.assertEqual(self._quotation(qty=35).credit_hold_state, "held")  # 1,200 + 4,200 > 5,000

    def test_foreign_currency_order_counts_in_the_companys_currency(self):
        """An order priced in another currency counts at its converted amount: 3,000 at 2 units of
        the company's currency each is 6,000, over the limit of 5,000 (3,000 alone would not be)."""
        self._policy(credit_hold_over_limit="hold")
        foreign = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", self.company.currency_id.id)], limit=1)
        foreign.active = True
        foreign.rate_ids = [Command.clear(), Command.create({
            "name": "2020-01-01", "rate": 0.5, "company_id": self.company.id})]
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": foreign.id})
        order = self._quotation(qty=25)  # 3,000 in the foreign currency
        order.pricelist_id = pricelist
        order.order_line.price_unit = 120.0
        self.assertEqual((order.currency_id, order.amount_total), (foreign, 3000.0))
        self.assertEqual(order._credit_amount(), 6000.0)
        self.assertEqual(order.credit_hold_state, "held")
        self.assertEqual(order.credit_hold_ids.amount, 6000.0)

    def _commit(self):
        """What the commit runs first: the flush and the precommit hooks (figures, held orders)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_cancelled_order_frees_held_ones_at_commit_confirmation_checks_none(self):
        """A cancelled order leaves the exposure: at the commit the customer's held orders are
        checked again and freed. A confirmation only adds to the exposure: its commit does not
        look for held orders to free (a query at every confirmation)."""
        self._policy(credit_hold_over_limit="hold")
        first = self._quotation(qty=35)  # 4,200
        first.with_user(self.sales_user).action_confirm()
        self._commit()
        held = self._quotation(qty=10)  # 1,200: 5,400 with the first
        self.assertEqual(held.credit_hold_ids.state, "held")
        free = self._quotation(qty=5)  # 600: 4,800, within the limit
        self._commit()
        free.with_user(self.sales_user).action_confirm()
        self.assertTrue(self.env.cr.precommit.data.get("crm_industrial.credit_dirty"), "the figures are refreshed")
        self.assertFalse(self.env.cr.precommit.data.get("crm_industrial.credit_recheck"),
                         "a confirmation asks no recheck of the held orders")
        self._commit()
        self.assertEqual(held.credit_hold_ids.state, "held")
        free.with_user(self.sales_user)._action_cancel()
        first.with_user(self.sales_user)._action_cancel()
        self.assertTrue(self.env.cr.precommit.data.get("crm_industrial.credit_recheck"))
        self._commit()
        self.assertEqual(held.credit_hold_ids.state, "cleared", "the cancelled orders no longer count")

    def test_over_limit_warn_only_shows_a_banner(self):
        self._policy(credit_hold_over_limit="warn")
        order = self._quotation(qty=100)
        self.assertEqual(order.credit_hold_state, "warn")
        self.assertIn("Over credit limit", order.credit_hold_message)
        self.assertFalse(order.credit_hold_ids)
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_rules_off(self):
        order = self._quotation(qty=100)
        self.assertEqual((order.credit_hold_state, order.credit_hold_message), ("ok", False))

    def test_credit_limits_off_in_the_company(self):
        self._policy(credit_hold_over_limit="hold")
        self.company.account_use_credit_limit = False
        self.assertEqual(self._quotation(qty=100).credit_hold_state, "ok")

    def test_rating_rule(self):
        self._policy(credit_hold_rating="hold", credit_hold_rating_grade="D")
        self._rate("C")
        self.assertEqual(self._quotation().credit_hold_state, "ok")
        self._rate("D")
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "held")
        self.assertIn("Credit rating D", order.credit_hold_message)
        self._policy(credit_hold_rating="warn", credit_hold_rating_grade="E")
        self.assertEqual(self._quotation().credit_hold_state, "ok")
        self._rate("E")
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "warn")
        order.with_user(self.sales_user).action_confirm()

    def test_review_expired_rule(self):
        self._policy(credit_hold_review_expired="warn")
        self._rate("A", days_ago=100, review_in=99)
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "warn")
        self.assertIn("Credit review expired", order.credit_hold_message)
        self._policy(credit_hold_review_expired="hold")
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "held")
        with self.assertRaisesRegex(UserError, "Credit review expired"):
            order.with_user(self.sales_user).action_confirm()
        self._rate("A")  # reviewed again
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_warn_and_hold_together(self):
        self._policy(credit_hold_over_limit="hold", credit_hold_review_expired="warn")
        self._rate("A", days_ago=100, review_in=99)
        order = self._quotation(qty=100)
        self.assertEqual(order.credit_hold_state, "held")
        self.assertIn("Credit review expired", order.credit_hold_message)
        # the hold keeps every rule the order triggered: what holds it first, then the warnings
        rules = order.credit_hold_ids.rules.splitlines()
        self.assertIn("Over credit limit", rules[0])
        self.assertIn("Warning: Credit review expired", rules[1])

    # ------------------------------------------------------------------ release

    def test_release_record_and_salesperson_told(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        until = self.today + timedelta(days=10)
        hold = self._release(order, valid_until=until)
        self.assertEqual((hold.state, hold.released_by_id, hold.valid_until, hold.amount),
                         ("released", self.controller, until, 12000.0))
        self.assertEqual(hold.release_reason, "Parent company guarantee received")
        self.assertTrue(hold.release_date)
        self.assertEqual(order.credit_hold_state, "released")
        self.assertIn(self.customer.credit_hold_ids, hold)
        self.assertTrue(order.activity_ids.filtered(lambda activity: activity.user_id == self.sales_user))
        self.assertIn("Parent company guarantee", order.message_ids[0].body)
        self.assertIn("Parent company guarantee", self.customer.message_ids[0].body)
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_release_expires(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        self._release(order, valid_until=self.today + timedelta(days=5))
        with freeze_time(self.today + timedelta(days=6)):
            self.env.invalidate_all()
            self.assertEqual(order.credit_hold_state, "held")
            with self.assertRaisesRegex(UserError, "Over credit limit"):
                order.with_user(self.sales_user).action_confirm()
        with freeze_time(self.today + timedelta(days=5)):
            self.env.invalidate_all()
            order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_bigger_amount_triggers_again(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        first = self._release(order)
        order.with_user(self.sales_user).write({"order_line": [
            Command.create({"product_id": self.product.id, "product_uom_qty": 5, "price_unit": 120.0,
                            "tax_id": [Command.clear()]})]})
        self.assertEqual(order.credit_hold_state, "held")
        new = order.credit_hold_ids - first
        self.assertEqual((new.state, new.amount), ("held", 12600.0))
        with self.assertRaises(UserError):
            order.with_user(self.sales_user).action_confirm()
        # A smaller amount stays covered by the first release.
        order.order_line[-1].with_user(self.sales_user).unlink()
        self.assertEqual(order.credit_hold_state, "released")
        order.with_user(self.sales_user).action_confirm()

    def test_release_needs_a_reason_and_a_future_date(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        hold = order.credit_hold_ids
        with self.assertRaises(ValidationError):
            hold.with_user(self.controller)._release("  ")
        with self.assertRaises(ValidationError):
            hold.with_user(self.controller)._release("ok", self.today - timedelta(days=1))
        hold.with_user(self.controller)._release("ok")
        with self.assertRaisesRegex(UserError, "already released"):
            hold.with_user(self.controller)._release("again")

    def test_request_puts_a_quotation_in_the_held_orders(self):
        """A rule can start holding after the quotation was saved (a review expires): the button
        records the hold."""
        self._policy(credit_hold_rating="hold")
        order = self._quotation()
        self.assertFalse(order.credit_hold_ids)
        self._rate("E")
        self.assertEqual(order.credit_hold_state, "held")
        self.assertFalse(order.credit_hold_listed, "the banner offers to send it to the held orders")
        order.with_user(self.sales_user).action_request_credit_release()
        self.assertEqual(order.credit_hold_ids.state, "held")
        order.invalidate_recordset()
        self.assertTrue(order.credit_hold_listed, "listed: the banner says so instead of offering it again")
        order.with_user(self.sales_user).action_request_credit_release()
        self.assertEqual(len(order.credit_hold_ids), 1)

    def test_release_note_is_formatted_for_the_salesperson(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        hold = self._release(order, valid_until=self.today + timedelta(days=10))
        note = order.message_ids.filtered(lambda message: "Credit hold released" in (message.body or ""))[:1]
        self.assertIn("12,000.00", note.body, "amounts are formatted, not raw numbers")
        self.assertNotIn(str(hold.valid_until), note.body, "dates are formatted, not ISO")

    def test_controllers_are_told_of_a_new_hold(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        notified = self.env["mail.message"].search([
            ("model", "=", "crm.credit.hold"), ("res_id", "=", order.credit_hold_ids.id),
            ("partner_ids", "in", self.controller.partner_id.ids)])
        self.assertEqual(len(notified), 1)
        self.assertIn("Over credit limit", notified.body)
        self.assertNotIn(self.sales_user.partner_id, notified.partner_ids)
        # the same hold kept up to date tells nobody again
        order.with_user(self.sales_user).write({"note": "Delivery in two lots"})
        order.with_user(self.sales_user).action_request_credit_release()
        self.assertEqual(len(self.env["mail.message"].search([
            ("model", "=", "crm.credit.hold"), ("partner_ids", "in", self.controller.partner_id.ids)])), 1)

    def test_hold_clears_when_the_rules_no_longer_stop_the_order(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        hold = order.credit_hold_ids
        self.assertEqual(hold.state, "held")
        self.customer.credit_limit = 50000.0
        self.env["crm.credit.hold"]._recheck()
        self.assertEqual(hold.state, "cleared")
        self.assertEqual(order.credit_hold_state, "ok")
        self.assertFalse(self.env["crm.credit.hold"].search([("state", "=", "held"), ("order_id", "=", order.id)]))
        # held again later: a new record, the cleared one stays as history
        self.customer.credit_limit = 5000.0
        order.with_user(self.sales_user).action_request_credit_release()
        self.assertEqual(order.credit_hold_ids.sorted("id").mapped("state"), ["cleared", "held"])

    def test_cancelled_order_leaves_the_held_orders(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        order.with_user(self.sales_user)._action_cancel()
        self.assertEqual(order.credit_hold_ids.state, "cleared")

    # ------------------------------------------------------------------ guards

    def test_nobody_writes_the_hold_directly(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        hold = order.credit_hold_ids
        for user in (self.sales_user, self.controller):
            for values in ({"state": "released"}, {"released_by_id": user.id}, {"valid_until": self.today},
                           {"amount": 1e6}, {"release_reason": "because"}, {"findings": []},
                           {"legacy_rules": ""}, {"state": "cleared"}):
                with self.subTest(user=user.login, values=values), self.assertRaises(AccessError):
                    hold.with_user(user).write(values)
        for user in (self.sales_user, self.controller):
            with self.assertRaises(AccessError):
                self.env["crm.credit.hold"].with_user(user).create({
                    "order_id": order.id, "partner_id": self.customer.id, "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id, "state": "released"})
        with self.assertRaises(AccessError):
            hold.with_user(self.sales_user).action_open_release_wizard()
        with self.assertRaises(AccessError):
            self.env["crm.credit.hold.release.wizard"].with_user(self.sales_user).create({
                "hold_id": hold.id, "reason": "I say so"})
        with self.assertRaises(AccessError):
            hold.with_user(self.controller).unlink()
        self.assertEqual(hold.state, "held")

    def test_sales_users_read_the_hold_portal_nothing(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        hold = order.credit_hold_ids.with_user(self.sales_user)
        self.assertEqual(hold.state, "held")
        self.assertEqual(order.with_user(self.sales_user).credit_hold_state, "held")
        with self.assertRaises(AccessError):
            self.env["crm.credit.hold"].with_user(self.portal_user).search([])

    def test_salespeople_see_the_holds_of_their_own_orders(self):
        self._policy(credit_hold_over_limit="hold")
        order = self._quotation(qty=100)
        colleague = new_test_user(self.env, login="crmi_hold_colleague", groups="sales_team.group_sale_salesman")
        self.assertFalse(self.env["crm.credit.hold"].with_user(colleague).search([("order_id", "=", order.id)]))
        self.assertEqual(self.env["crm.credit.hold"].with_user(self.sales_user).search(
            [("order_id", "=", order.id)]), order.credit_hold_ids)
        all_leads = new_test_user(self.env, login="crmi_hold_all_leads",
                                  groups="sales_team.group_sale_salesman_all_leads")
        self.assertEqual(self.env["crm.credit.hold"].with_user(all_leads).search(
            [("order_id", "=", order.id)]), order.credit_hold_ids)

    def test_policy_bounds(self):
        with self.assertRaises(ValidationError):
            self.company.credit_hold_overdue_days_limit = -1
        with self.assertRaises(ValidationError):
            self.company.credit_hold_overdue_amount_limit = -10

    def test_other_company_holds_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other Coal Company"})
        other.write({**ALL_OFF, "credit_hold_rating": "hold"})
        self.env["crm.credit.rating"].with_company(other).create({
            "partner_id": self.customer.id, "grade": "E", "reason": "x", "company_id": other.id})
        order = self.env["sale.order"].with_company(other).create({
            "partner_id": self.customer.id, "company_id": other.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]})
        self.assertEqual(order.credit_hold_ids.company_id, other)
        manager = new_test_user(self.env, login="crmi_hold_first_company",
                                groups="crm_industrial.group_credit_controller,sales_team.group_sale_manager")
        holds = order.credit_hold_ids
        self.assertTrue(holds)
        self.assertFalse(self.env["crm.credit.hold"].with_user(manager).search([("id", "in", holds.ids)]))
        # The first company's policy and ratings are its own.
        self.assertEqual(self._quotation().credit_hold_state, "ok")


@tagged("post_install", "-at_install")
class TestCreditHoldOverdue(FiguresCommon):
    """The overdue rules read the customer's credit figures (crm.customer.credit.stat)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(ALL_OFF)
        cls.product = cls.env["product.product"].create({"name": "Coking coal", "type": "consu", "list_price": 100})
        cls.late = cls._invoice(cls.customer, 3000, invoice_days_ago=70, due_days_ago=40)

    def _quotation(self):
        return self.env["sale.order"].with_user(self.sales_user).create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]})

    def test_overdue_amount(self):
        self.env.company.write({"credit_hold_overdue_amount": "hold", "credit_hold_overdue_amount_limit": 1000})
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "held")
        self.assertIn("Overdue receivables", order.credit_hold_ids.rules)
        with self.assertRaisesRegex(UserError, "Overdue receivables"):
            order.with_user(self.sales_user).action_confirm()
        self.env.company.credit_hold_overdue_amount_limit = 5000
        self.assertEqual(self._quotation().credit_hold_state, "ok")

    def test_payment_clears_the_hold_at_commit(self):
        self.env.company.write({"credit_hold_overdue_amount": "hold", "credit_hold_overdue_amount_limit": 1000})
        self._commit_hooks()
        order = self._quotation()
        hold = order.credit_hold_ids
        self.assertEqual(hold.state, "held")
        self._pay(self.late, days_ago=0)
        self._commit_hooks()
        self.assertEqual(hold.state, "cleared", "the customer paid: the held orders list tells the truth")

    def test_overdue_amount_paid(self):
        self.env.company.write({"credit_hold_overdue_amount": "hold", "credit_hold_overdue_amount_limit": 0})
        self._pay(self.late, days_ago=0)
        self.assertEqual(self._quotation().credit_hold_state, "ok")

    def test_oldest_overdue_days(self):
        self.env.company.write({"credit_hold_overdue_days": "warn", "credit_hold_overdue_days_limit": 30})
        order = self._quotation()
        self.assertEqual(order.credit_hold_state, "warn")
        self.assertIn("40 days late", order.credit_hold_message)
        order.with_user(self.sales_user).action_confirm()
        self.env.company.write({"credit_hold_overdue_days": "hold", "credit_hold_overdue_days_limit": 39})
        self.assertEqual(self._quotation().credit_hold_state, "held")
        self.env.company.credit_hold_overdue_days_limit = 40
        self.assertEqual(self._quotation().credit_hold_state, "ok")
