"""Credit ratings and financial-health snapshots: history, who may write, sane values."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon


class CreditCommon(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = new_test_user(cls.env, login="crmi_credit_controller", name="Carla Credit",
                                       groups="crm_industrial.group_credit_controller")
        cls.billing_user = new_test_user(cls.env, login="crmi_credit_billing", groups="account.group_account_invoice")
        cls.today = fields.Date.today()

    def _rate(self, grade, days_ago=0, review_in=180, partner=None, user=None):
        return self.env["crm.credit.rating"].with_user(user or self.controller).create({
            "partner_id": (partner or self.customer).id, "grade": grade,
            "date": self.today - timedelta(days=days_ago),
            "review_date": self.today - timedelta(days=days_ago) + timedelta(days=review_in),
            "reason": f"Grade {grade} from the annual statements",
        })


@tagged("post_install", "-at_install")
class TestCreditRating(CreditCommon):
    def test_history_and_current_grade(self):
        first = self._rate("B", days_ago=300)
        second = self._rate("C", days_ago=100)
        third = self._rate("B", days_ago=10)
        self.assertEqual(self.customer.credit_rating, "B")
        self.assertEqual(self.customer.credit_review_date, third.review_date)
        self.assertEqual((first | second | third).mapped("is_current"), [False, False, True])
        self.assertEqual(self.customer.credit_rating_ids, first | second | third)
        self.assertEqual(third.author_id, self.controller)
        note = self.customer.message_ids[0].body
        self.assertIn("Credit rated by", note)
        self.assertNotIn(third.reason, note, "the reasons stay with accounting, out of the shared chatter")
        # A back-dated rating is history, not the current grade.
        self._rate("E", days_ago=200)
        self.assertEqual(self.customer.credit_rating, "B")
        self.assertIn(self.customer, self.env["res.partner"].search([("credit_rating", "=", "B")]))
        self.assertNotIn(self.customer, self.env["res.partner"].search([("credit_rating", "in", ("D", "E"))]))

    def test_rating_on_a_contact_goes_to_its_company(self):
        rating = self._rate("A", partner=self.customer_contact)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertEqual(self.customer_contact.credit_rating, "A")

    def test_author_is_who_records_it(self):
        rating = self.env["crm.credit.rating"].with_user(self.controller).create({
            "partner_id": self.customer.id, "grade": "A", "reason": "Strong", "author_id": self.sales_user.id})
        self.assertEqual(rating.author_id, self.controller)

    def test_history_is_never_edited_or_deleted(self):
        rating = self._rate("B")
        with self.assertRaises(UserError):
            rating.with_user(self.controller).write({"grade": "A"})
        with self.assertRaises(UserError):
            rating.with_user(self.sales_user).write({"grade": "A"})
        with self.assertRaises(UserError):
            rating.with_user(self.controller).write({"is_current": False})
        with self.assertRaises(UserError):
            rating.with_user(self.controller).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.credit.rating"].with_user(self.controller).create({
                "partner_id": self.customer.id, "grade": "A", "reason": "x", "is_current": True})

    def test_only_credit_controllers_rate(self):
        for user in (self.sales_user, self.billing_user, self.sales_manager):
            with self.assertRaises(AccessError):
                self._rate("A", user=user)

    def test_who_reads_the_rating(self):
        self._rate("C")
        # accounting reads the rating and its reasons; salespeople see only the holds it causes
        customer = self.customer.with_user(self.billing_user)
        self.assertEqual(customer.credit_rating, "C")
        self.assertEqual(len(customer.credit_rating_ids), 1)
        for field in ("credit_rating", "credit_rating_ids", "credit_review_date"):
            with self.assertRaises(AccessError):
                self.customer.with_user(self.sales_user).read([field])
        with self.assertRaises(AccessError):
            self.env["crm.credit.rating"].with_user(self.sales_user).search([])
        with self.assertRaises(AccessError):
            self.env["crm.credit.rating"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["crm.credit.rating"].with_user(self.internal_user).search([])

    def test_dates(self):
        with self.assertRaises(ValidationError):
            self._rate("A", days_ago=-1)
        with self.assertRaises(ValidationError):
            self._rate("A", review_in=-5)
        with self.assertRaises(ValidationError):
            self.env["crm.credit.rating"].with_user(self.controller).create({
                "partner_id": self.customer.id, "grade": "A", "reason": "   "})

    def test_reviews_due(self):
        due = self._rate("B", days_ago=200, review_in=100)
        other = self.env["res.partner"].create({"name": "Anshan Steel", "is_company": True})
        self._rate("B", days_ago=200, review_in=100, partner=other)
        self._rate("B", partner=other)  # reviewed again: nothing due any more
        Rating = self.env["crm.credit.rating"]
        self.assertEqual(Rating.search([("review_due", "=", True), ("partner_id", "in", (self.customer | other).ids)]),
                         due)
        self.assertTrue(self.customer.credit_review_due)
        self.assertFalse(other.credit_review_due)
        self.assertEqual(self.env["res.partner"].search([("credit_review_due", "=", True),
                                                         ("id", "in", (self.customer | other).ids)]), self.customer)

    def test_other_company_ratings_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other Coal Company"})
        rating = self.env["crm.credit.rating"].with_company(other).create({
            "partner_id": self.customer.id, "grade": "E", "reason": "Other company's view", "company_id": other.id})
        self.assertFalse(self.customer.credit_rating, "the current company has no rating")
        self.assertFalse(self.env["crm.credit.rating"].with_user(self.controller).search([("id", "=", rating.id)]))
        both = new_test_user(self.env, login="crmi_credit_both", groups="crm_industrial.group_credit_controller",
                             company_ids=[Command.set([self.env.company.id, other.id])])
        self.assertEqual(self.customer.with_user(both).with_company(other).credit_rating, "E")


@tagged("post_install", "-at_install")
class TestFinancialSnapshot(CreditCommon):
    def _snapshot(self, user=None, **values):
        return self.env["crm.customer.financial.snapshot"].with_user(user or self.controller).create({
            "partner_id": self.customer.id, "date": self.today - timedelta(days=30), "current_ratio": 1.4,
            "net_profit_margin": 6.5, "return_on_assets": 4.2, "inventory_days": 45, "collection_period_days": 60,
            "source": "audited", **values})

    def test_history_on_the_customer(self):
        older = self._snapshot(date=self.today - timedelta(days=400), current_ratio=1.1)
        newer = self._snapshot()
        self.assertEqual(self.customer.financial_snapshot_ids, newer | older)
        self.assertEqual(newer.author_id, self.controller)
        newer.with_user(self.controller).write({"current_ratio": 1.5, "author_id": self.sales_user.id})
        self.assertEqual(newer.author_id, self.controller)

    def test_bounds(self):
        for values in ({"current_ratio": -0.1}, {"current_ratio": 250}, {"net_profit_margin": 150},
                       {"net_profit_margin": -5000}, {"return_on_assets": 5000}, {"inventory_days": -1},
                       {"inventory_days": 5000}, {"collection_period_days": 4000},
                       {"current_ratio": float("nan")}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._snapshot(**values)

    def test_not_in_the_future(self):
        with self.assertRaises(ValidationError):
            self._snapshot(date=self.today + timedelta(days=1))
        snapshot = self._snapshot()
        with self.assertRaises(ValidationError):
            snapshot.with_user(self.controller).write({"date": self.today + timedelta(days=3)})

    def test_access(self):
        snapshot = self._snapshot()
        with self.assertRaises(AccessError):
            self._snapshot(user=self.billing_user)
        self.assertEqual(snapshot.with_user(self.billing_user).current_ratio, 1.4)
        for user in (self.sales_user, self.portal_user):
            with self.assertRaises(AccessError):
                self.env["crm.customer.financial.snapshot"].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestTierCreditTerms(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env.ref("crm_industrial.crm_key_account_tier_key")
        cls.term = cls.env.ref("account.account_payment_term_45days")
        cls.tier.write({"payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                        "credit_limit": 50000})
        cls.customer.sudo().write({"key_account_tier_id": cls.tier.id})

    def _wizard(self, user):
        return self.env["crm.credit.terms.wizard"].with_user(user).with_context(
            default_partner_id=self.customer.id).create({})

    def test_tier_change_never_writes_the_terms(self):
        self.assertFalse(self.customer.property_payment_term_id)
        self.assertEqual(self.customer.credit_limit, 0.0)
        self.assertIn(self.tier.payment_term_id.name, self.customer.credit_terms_proposal)

    def test_proposal_is_one_sentence_per_case(self):
        self.assertEqual(
            self.customer.credit_terms_proposal,
            f"{self.tier.name} suggests {self.tier.payment_term_id.name}, credit limit $\xa050,000.00")
        self.customer.property_payment_term_id = self.tier.payment_term_id
        self.assertEqual(self.customer.credit_terms_proposal,
                         f"{self.tier.name} suggests a credit limit of $\xa050,000.00")

    def test_controller_accepts_the_proposal(self):
        self._wizard(self.controller).action_apply()
        self.assertEqual(self.customer.property_payment_term_id, self.tier.payment_term_id)
        self.assertEqual(self.customer.credit_limit, 50000)
        self.assertFalse(self.customer.credit_terms_proposal)
        self.assertIn("accepted", self.customer.message_ids[0].body)

    def test_controller_changes_the_proposal(self):
        wizard = self._wizard(self.controller)
        wizard.write({"payment_term_id": self.term.id, "credit_limit": 20000})
        wizard.action_apply()
        self.assertEqual(self.customer.property_payment_term_id, self.term)
        self.assertEqual(self.customer.credit_limit, 20000)
        self.assertIn("decided", self.customer.message_ids[0].body)

    def test_salespeople_cannot_decide(self):
        with self.assertRaises(AccessError):
            self._wizard(self.sales_user)
        wizard = self._wizard(self.controller)
        with self.assertRaises(AccessError):
            wizard.with_user(self.billing_user).action_apply()

    def test_terms_only_in_the_users_companies(self):
        other = self.env["res.company"].create({"name": "Other Coal Company"})
        wizard = self._wizard(self.controller)
        wizard.company_id = other
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertFalse(self.customer.with_company(other).property_payment_term_id)
