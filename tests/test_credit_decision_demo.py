"""The demo shows the accountant's decisions: a rating history and a held order released."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCreditDecisionDemo(TransactionCase):
    def test_rating_history_and_snapshots(self):
        pipes = self.env.ref("crm_industrial.partner_pvc_pipes_demo")
        ratings = self.env["crm.credit.rating"].search([("partner_id", "=", pipes.id)], order="date, id")
        self.assertEqual(ratings.mapped("grade"), ["B", "C", "B"])
        self.assertEqual(pipes.credit_rating, "B")
        self.assertEqual(ratings.author_id, self.env.ref("base.user_admin"))
        self.assertEqual(len(pipes.financial_snapshot_ids), 2)

    def test_held_order_released_by_the_accountant(self):
        trader = self.env.ref("crm_industrial.partner_small_trader_demo")
        self.assertEqual(trader.credit_rating, "D")
        holds = self.env["crm.credit.hold"].search([("partner_id", "=", trader.id)])
        self.assertEqual(sorted(holds.mapped("state")), ["held", "released"])
        self.assertEqual(holds.filtered(lambda hold: hold.state == "held").order_id.client_order_ref, "FX-HOLD-002",
                         "Held Orders is not empty in the demo")
        hold = holds.filtered(lambda hold: hold.state == "released")
        self.assertEqual(hold.released_by_id, self.env.ref("base.user_admin"))
        self.assertIn("Credit rating D", hold.rules)
        self.assertTrue(hold.is_valid)
        self.assertEqual(hold.order_id.credit_hold_state, "released")
        self.assertTrue(hold.order_id.activity_ids)

    def test_a_credit_review_is_due(self):
        distributor = self.env.ref("crm_industrial.partner_chem_distributor_demo")
        self.assertEqual(distributor.credit_rating, "C")
        self.assertTrue(distributor.credit_review_due, "Credit Reviews Due is not empty in the demo")
