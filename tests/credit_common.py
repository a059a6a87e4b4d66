"""Shared fixtures of the credit-figure tests: hand-built invoices, credit notes and payments."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.Stat = cls.env["crm.customer.credit.stat"]
        company = cls.env.company
        cls.sales_user = new_test_user(cls.env, login="crmi_credit_sales", groups="sales_team.group_sale_salesman",
                                       company_id=company.id, company_ids=[company.id])
        cls.accountant = new_test_user(cls.env, login="crmi_credit_accountant", groups="account.group_account_user",
                                       company_id=company.id, company_ids=[company.id])
        cls.portal = new_test_user(cls.env, login="crmi_credit_portal", groups="base.group_portal",
                                   company_id=company.id, company_ids=[company.id])
        cls.customer, cls.other_customer = cls.env["res.partner"].create([
            {"name": "Anshan Foundry", "is_company": True, "user_id": cls.sales_user.id},
            {"name": "Baotou Rolling Mill", "is_company": True, "user_id": cls.sales_user.id},
        ])

    @classmethod
    def _invoice(cls, partner, amount, invoice_days_ago=0, due_days_ago=None, move_type="out_invoice",
                 currency=None, post=True, company=None):
        """An untaxed invoice (or credit note) dated `invoice_days_ago`, due `due_days_ago` (negative:
        in the future; default: on its date)."""
        day = cls.today - timedelta(days=invoice_days_ago)
        due = cls.today - timedelta(days=invoice_days_ago if due_days_ago is None else due_days_ago)
        company = company or cls.env.company
        move = cls.env["account.move"].with_company(company).create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": day, "date": day,
            "invoice_date_due": due, "company_id": company.id,
            "currency_id": (currency or company.currency_id).id,
            "invoice_line_ids": [Command.create({
                "name": "Coking coal", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})],
        })
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, days_ago, amount=None):
        """Register a payment of `amount` (all of it by default, in the invoice's currency)."""
        vals = {"payment_date": cls.today - timedelta(days=days_ago)}
        if amount is not None:
            vals["amount"] = amount
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create(vals)._create_payments()

    def _stat(self, partner):
        return self.Stat.search([("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)])

    def _commit_hooks(self):
        """What happens at commit: the customers whose documents changed are refreshed."""
        self.env.flush_all()
        self.env.cr.precommit.run()
