"""The customer form's lists read in one query (crm_industrial_x2many_batch.py, issue 15): each list holds
what its field's own read() finds (domain, context, order, record rules, active contacts only), for
every user, and reading them all costs one query."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon
from .test_hot_screens import hot

READ_TOGETHER = ("One2many", "Many2many")


@tagged("post_install", "-at_install")
class TestPartnerFormRead(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        role = cls.env.ref("crm_industrial.crm_buying_role_purchasing_manager")
        cls.env.ref("crm_industrial.crm_buying_role_end_user").key_role = True
        cls.other_company = cls.env["res.company"].create({"name": "Other Coal Company"})
        cls.customer.write({
            "category_id": [Command.create({"name": "Coking plant"}), Command.create({"name": "Zz tag"})],
            "bank_ids": [Command.create({"acc_number": "CN-0001"})],
        })
        cls.contacts = Partner.create([
            {"name": "Zhao Min", "parent_id": cls.customer.id, "buying_role_ids": [Command.link(role.id)]},
            {"name": "Archived Ma", "parent_id": cls.customer.id, "active": False,
             "buying_role_ids": [Command.link(role.id)]},
            {"name": "Another Site", "parent_id": cls.customer.id, "is_company": True},
        ])
        cls.other_customer = Partner.create({
            "name": "Baotou Steel", "is_company": True, "user_id": cls.sales_manager.id,
            "child_ids": [Command.create({"name": "Li Na"})]})
        Insight = cls.env["crm.customer.insight"]
        cls.insights = Insight.create([
            {"partner_id": cls.customer.id, "summary": "New blast furnace"},
            {"partner_id": cls.other_customer.id, "summary": "Bought a mine"},
        ])
        # another company's insight: the field's domain (current company) leaves it out
        Insight.with_company(cls.other_company).create({
            "partner_id": cls.customer.id, "summary": "Elsewhere", "company_id": cls.other_company.id})
        parameter = cls.env["crm.quality.parameter"].create({"name": "Ash (form read)", "unit": "%"})
        cls.specs = cls.env["crm.customer.spec"].create([{
            "partner_id": cls.customer.id, "categ_id": cls.product.categ_id.id,
            "line_ids": [Command.create({"parameter_id": parameter.id, "max_value": 9})]}, {
            "partner_id": cls.customer.id, "product_tmpl_id": cls.product.product_tmpl_id.id, "active": False}])
        cls.accountant = new_test_user(cls.env, login="crmi_form_read_accountant",
                                       groups="base.group_user,account.group_account_invoice")

    def _lists(self, env):
        Partner = env["res.partner"]
        return [field for field in Partner._fields.values()
                if type(field).__name__ in READ_TOGETHER and field.store and field.is_accessible(env)]

    def _as_each_field_reads(self, records, fields_):
        values = {}
        for field in fields_:
            records.env.invalidate_all()
            try:
                field.read(records)
            except AccessError:
                values[field.name] = AccessError
                continue
            values[field.name] = [records.env.cache.get(record, field) for record in records]
        return values

    def _together(self, records, fields_):
        records.env.invalidate_all()
        records._read_x2many_together(fields_)
        return {field.name: [records.env.cache.get(record, field) for record in records] for field in fields_}

    def _assert_read_as_each_field(self, model_name, ids, users):
        """For each user: the lists read together hold what each field's own read finds."""
        for user in users:
            env = self.env(user=user, su=False)
            records = env[model_name].browse(ids)
            fields_ = self._lists(env)
            self.assertGreater(len(fields_), 3)
            expected = self._as_each_field_reads(records, fields_)
            refused = [name for name, value in expected.items() if value is AccessError]
            if refused:
                # a list the user may not read refuses the whole read, as Odoo's does
                with self.assertRaises(AccessError):
                    self._together(records, fields_)
                fields_ = [field for field in fields_ if field.name not in refused]
                expected = {name: value for name, value in expected.items() if name not in refused}
            self.assertEqual(self._together(records, fields_), expected, user.login)

    def test_same_lines_as_each_field_reads_them(self):
        partners = self.customer | self.other_customer | self.contacts
        self._assert_read_as_each_field("res.partner", partners.ids, (
            self.env.ref("base.user_admin"), self.sales_user, self.sales_manager, self.internal_user,
            self.accountant))

    def test_what_the_lists_hold(self):
        env = self.env(user=self.sales_user, su=False)
        customer = env["res.partner"].browse(self.customer.id)
        fields_ = self._lists(env)
        self._together(customer, fields_)
        # active contacts only, in the contacts' order; the buying center: people with a role
        self.assertEqual(customer.child_ids.ids, (self.contacts[2] | self.customer_contact | self.contacts[0]).ids)
        self.assertEqual(customer.buying_center_ids.ids, self.contacts[0].ids)
        self.assertEqual(customer.category_id.mapped("name"), ["Coking plant", "Zz tag"])
        self.assertEqual(customer.customer_insight_ids, self.insights[0], "this company's only")
        self.assertEqual(customer.customer_spec_ids, self.specs[0], "active ones only")
        self.assertIn(self.env.ref("crm_industrial.crm_buying_role_end_user"), customer.missing_key_role_ids)
        self.assertNotIn(self.env.ref("crm_industrial.crm_buying_role_purchasing_manager"),
                         customer.missing_key_role_ids)

    def test_all_lists_cost_one_query(self):
        """The lists of the customer form (the chatter's messages and activities are read apart, by
        their own searches)."""
        env = self.env(user=self.sales_user, su=False)
        customer = env["res.partner"].browse(self.customer.id)
        spec, _arch = hot.view_spec(env["res.partner"], "form")
        fields_ = [field for field in self._lists(env) if field.name in spec]
        self.assertGreater(len(fields_), 5)
        self._together(customer, fields_)  # warm the caches of record rules and the like
        customer.invalidate_recordset([field.name for field in fields_])
        env["res.partner"].browse(self.contacts.ids + self.customer_contact.ids).invalidate_recordset(
            ["parent_id", "active"])
        with self.assertQueryCount(1):
            customer._read_x2many_together(fields_)
        # the contacts' active flag came with them (as search_fetch() reads it): no query to filter them
        with self.assertQueryCount(0):
            self.assertTrue(customer.child_ids)


@tagged("post_install", "-at_install")
class TestQuotationFormRead(TestPartnerFormRead):
    """The quotation form's lists (lines, optional products, documents, tags, held-order and
    specification-override lists) read the same way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tags = cls.env["crm.tag"].create([{"name": "Zz coke"}, {"name": "Aa coal"}])
        cls.orders = cls.env["sale.order"].create([{
            "partner_id": partner.id, "user_id": user.id, "tag_ids": [Command.set(tags.ids)],
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})
                           for qty in (3, 1, 2)],
        } for partner, user in ((cls.customer, cls.sales_user), (cls.other_customer, cls.sales_manager))])
        cls.orders[0].order_line[1].sequence = 1  # the lines in their order's sequence

    def _lists(self, env):
        return [field for field in env["sale.order"]._fields.values()
                if type(field).__name__ in READ_TOGETHER and field.store and field.is_accessible(env)]

    def test_same_lines_as_each_field_reads_them(self):
        self._assert_read_as_each_field("sale.order", self.orders.ids, (
            self.env.ref("base.user_admin"), self.sales_user, self.sales_manager, self.accountant))

    def test_what_the_lists_hold(self):
        env = self.env(user=self.sales_user, su=False)
        order = env["sale.order"].browse(self.orders[0].id)
        self._together(order, self._lists(env))
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [1.0, 3.0, 2.0])
        self.assertEqual(set(order.tag_ids.mapped("name")), {"Aa coal", "Zz coke"})
        self.assertFalse(order.credit_hold_ids)

    def test_all_lists_cost_one_query(self):
        env = self.env(user=self.sales_user, su=False)
        order = env["sale.order"].browse(self.orders[0].id)
        spec, _arch = hot.view_spec(env["sale.order"], "form")
        fields_ = [field for field in self._lists(env) if field.name in spec]
        self.assertGreater(len(fields_), 3)
        self._together(order, fields_)
        order.invalidate_recordset([field.name for field in fields_])
        with self.assertQueryCount(1):
            order._read_x2many_together(fields_)
