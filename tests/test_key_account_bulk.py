"""The classification in bulk (issue 15, "Bulk work in bulk"): the first classification and the
tier drops cost a number of queries that does not grow with the number of customers, and each
customer still gets its own history row, chatter note and activities, in its owner's language."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .test_key_account import KeyAccountCommon

# Customers of four groups of equal size with these amounts each: the groups make 55%, 30%, 10%
# and 5% of the revenue whatever their size (customers of a group tie), so that they get the
# Strategic, Key, Regular and Occasional tiers (Pareto rule) at any number of customers.
GROUP_AMOUNTS = (1100, 600, 200, 100)


class _Measured(Exception):
    """Carries the measured figures out of a savepoint that is rolled back."""


@tagged("post_install", "-at_install")
class TestClassificationInBulk(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overdue_type = cls.env.ref("crm_industrial.mail_activity_type_order_overdue")
        cls.drop_type = cls.env.ref("crm_industrial.mail_activity_type_tier_drop")

    def _customers(self, count):
        """`count` customers (a multiple of 4) of the sales user, each with an invoice of its group's
        amount and three monthly orders, the last 130 days ago: every order is overdue."""
        customers = self.env["res.partner"].create([
            {"name": f"Bulk {count}-{n}", "is_company": True, "user_id": self.sales_user.id} for n in range(count)])
        for index, customer in enumerate(customers):
            self._invoice(customer, GROUP_AMOUNTS[index * 4 // count])
        orders = self.env["sale.order"].create([{
            "partner_id": customer.id,
            "order_line": [Command.create({"product_id": self.product_a.id, "product_uom_qty": 1})],
        } for customer in customers for _days_ago in (190, 160, 130)])
        orders.action_confirm()
        for order, days_ago in zip(orders, [190, 160, 130] * count, strict=True):
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return customers

    def _queries(self, records):
        """Queries of the recompute the sales user starts on these customers (the button), after
        which every cache is dropped, as between two requests. The salesperson is the account
        owner: Odoo's mail.activity notifies an assignee other than the current user one activity
        at a time (mail.activity's action_notify), a cost of Odoo's per activity, not counted here."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        records.with_user(self.sales_user).action_recompute_key_account()
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        return count

    def _classify(self, count):
        """(first classification queries, drop queries) for `count` new customers, rolled back."""
        try:
            with self.env.cr.savepoint():
                customers = self._customers(count)
                first = self._queries(customers)
                self._check_first_classification(customers)
                # A new customer buying a hundred times more: everyone else drops to Occasional.
                whale = self.env["res.partner"].create({"name": f"Whale {count}", "is_company": True})
                self._invoice(whale, 100 * sum(GROUP_AMOUNTS) * count)
                drops = self._queries(customers | whale)
                self._check_drops(customers)
                raise _Measured(first, drops)
        except _Measured as measured:
            self.env.invalidate_all()
            return measured.args

    def _check_first_classification(self, customers):
        count = len(customers)
        tiers = [self.strategic, self.key, self.regular, self.occasional]
        for index, customer in enumerate(customers):
            tier = tiers[index * 4 // count]
            self.assertEqual(customer.key_account_tier_id, tier)
            self.assertEqual(self._stat(customer).applied_tier_id, tier)
            history = customer.tier_history_ids
            self.assertEqual(len(history), 1)
            self.assertEqual((history.old_tier_id, history.new_tier_id, history.automatic, history.reason),
                             (self.env["crm.key.account.tier"], tier, True, "Classification"))
            notes = customer.message_ids.filtered(lambda message: "Key-account tier" in (message.body or ""))
            self.assertEqual(len(notes), 1, "one chatter note per customer")
            self.assertIn(f"none → {tier.name}", notes.body)
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
            overdue = customer.activity_ids.filtered(lambda activity: activity.activity_type_id == self.overdue_type)
            self.assertEqual(len(overdue), 1)
            self.assertEqual(overdue.user_id, self.sales_user)
            self.assertIn(f"No order from {customer.name} since", str(overdue.note))
            self.assertEqual(overdue.summary, self.overdue_type.summary)
            self.assertEqual(overdue.date_deadline, fields.Date.context_today(customer))
            self.assertTrue(self._stat(customer).overdue_notified)

    def _check_drops(self, customers):
        count = len(customers)
        for index, customer in enumerate(customers):
            dropped = index * 4 // count < 3
            self.assertEqual(customer.key_account_tier_id, self.occasional)
            self.assertEqual(len(customer.tier_history_ids), 2 if dropped else 1)
            drop = customer.activity_ids.filtered(lambda activity: activity.activity_type_id == self.drop_type)
            self.assertEqual(len(drop), 1 if dropped else 0)
            if dropped:
                self.assertEqual(drop.user_id, self.sales_user)
                self.assertIn(f"{customer.name} dropped from", str(drop.note))
            overdue = customer.activity_ids.filtered(lambda activity: activity.activity_type_id == self.overdue_type)
            self.assertEqual(len(overdue), 1, "the order-overdue activity is not scheduled twice")

    def test_first_classification_and_drops_cost_constant_queries(self):
        """8 and 32 customers (24 and 96 orders): the orders made before a first tier get it through
        the ORM, which writes 100 rows per UPDATE, up to ORDER_TIER_INLINE (2,000 orders, at most 20
        such UPDATEs; the order-tier job does the rest); every other query is counted as is."""
        self._classify(4)  # warms the caches a running server has
        few_first, few_drops = self._classify(8)
        many_first, many_drops = self._classify(32)
        self.assertEqual(many_first, few_first, "first classification: queries grow with the customers")
        self.assertEqual(many_drops, few_drops, "tier drops: queries grow with the customers")

    def test_texts_in_each_owners_language(self):
        """The notes and activities of one classification are written in each owner's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        company = self.env.company
        chinese_owner = new_test_user(self.env, login="crmi_ka_zh", groups="sales_team.group_sale_salesman",
                                      lang="zh_CN", company_id=company.id, company_ids=[company.id])
        alpha, beta = self.customers[:2]
        beta.account_owner_id = chinese_owner
        self._invoice(alpha, 1000)
        self._invoice(beta, 1000)
        self.Stat._recompute()
        self.assertIn("Key-account tier: none → Strategic", alpha.message_ids[0].body)
        self.assertIn("大客户等级", beta.message_ids[0].body)
        self.assertEqual(beta.tier_history_ids.reason, "分级")
        whale = self.env["res.partner"].create({"name": "Whale", "is_company": True})
        self._invoice(whale, 1_000_000)
        self.Stat._recompute()
        drops = (alpha | beta).activity_ids.filtered(lambda activity: activity.activity_type_id == self.drop_type)
        self.assertEqual(drops.mapped("user_id"), self.sales_user | chinese_owner)
        notes = {activity.user_id: str(activity.note) for activity in drops}
        self.assertIn("Alpha Power dropped from", notes[self.sales_user])
        self.assertIn("Beta Steel 从", notes[chinese_owner])
        self.assertIn("Key-account tier: none →", whale.message_ids[0].body, "no owner: the company's language")
        company.partner_id.lang = "zh_CN"
        orphan = self.env["res.partner"].create({"name": "Orphan Mills", "is_company": True})
        self._invoice(orphan, 500_000)
        self.Stat._recompute()
        self.assertIn("大客户等级", orphan.message_ids[0].body, "no owner: the company's language, Chinese now")
