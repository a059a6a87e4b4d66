from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmIndustrialCommon


@tagged("post_install", "-at_install")
class TestCustomerFile(CrmIndustrialCommon):
    def test_account_owner_defaults_to_salesperson(self):
        self.assertEqual(self.customer.account_owner_id, self.sales_user)
        other = self.sales_manager
        self.customer.account_owner_id = other
        self.customer.user_id = self.internal_user
        self.assertEqual(self.customer.account_owner_id, other, "a chosen owner is kept")

    def test_capacity_units_default_to_tonnes(self):
        ton = self.env.ref("uom.product_uom_ton")
        self.assertEqual(self.customer.customer_distribution_uom_id, ton)
        self.assertEqual(self.customer.customer_warehouse_uom_id, ton)

    def test_customer_since_from_first_confirmed_order(self):
        self.assertFalse(self.customer.customer_since)
        self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertFalse(self.customer.customer_since, "a quotation does not make a customer")
        self._confirmed_order(self.customer_contact, "2025-03-14 10:00:00")
        self.assertEqual(self.customer.customer_since, fields.Date.context_today(self.customer),
                         "an order placed by a contact dates its company on confirmation")

    def test_customer_since_takes_the_earliest_confirmed_order(self):
        self._confirmed_order(self.customer, "2024-01-05 09:00:00")
        self.customer.customer_since = False
        self._confirmed_order(self.customer, "2025-03-14 10:00:00")
        self.assertEqual(str(self.customer.customer_since), "2024-01-05")

    def test_customer_since_kept_when_set(self):
        self.customer.customer_since = "2019-06-01"
        self._confirmed_order(self.customer, "2025-03-14 10:00:00")
        self.assertEqual(str(self.customer.customer_since), "2019-06-01")

    def test_negative_capacity_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.customer_warehouse_capacity = -5
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.customer_employee_count = -1

    def test_customer_since_in_future_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be in the future"):
            self.customer.customer_since = "2999-01-01"

    def test_search_and_group_by_customer_type(self):
        Partner = self.env["res.partner"]
        self.customer.customer_type = "distributor"
        Partner.create({"name": "Pearl River Resins", "is_company": True, "customer_type": "end_user"})
        Partner.create({"name": "Delta Fuel Traders", "is_company": True, "customer_type": "distributor"})
        distributors = Partner.search([("customer_type", "=", "distributor")])
        self.assertIn(self.customer, distributors)
        self.assertNotIn("Pearl River Resins", distributors.mapped("name"))
        groups = dict(Partner._read_group(
            [("customer_type", "!=", False)], groupby=["customer_type"], aggregates=["__count"]))
        self.assertGreaterEqual(groups["distributor"], 2)
        self.assertGreaterEqual(groups["end_user"], 1)

    def test_search_view_offers_customer_file_filters(self):
        arch = self.env["res.partner"].with_user(self.sales_user).get_views([(False, "search")])
        arch = arch["views"]["search"]["arch"]
        for name in ("group_customer_type", "group_account_owner", "customer_type_distributor"):
            self.assertIn(f'name="{name}"', arch)

    def test_form_fills_customer_file(self):
        with Form(self.customer.with_user(self.sales_user)) as form:
            form.customer_type = "end_user"
            form.customer_sales_force = 12
            form.customer_history = "State-owned since 1958."
        self.assertEqual(self.customer.customer_type, "end_user")
        self.assertEqual(self.customer.customer_sales_force, 12)

    def test_internal_user_reads_portal_user_cannot(self):
        self.customer.customer_type = "end_user"
        as_internal = self.customer.with_user(self.internal_user)
        self.assertEqual(as_internal.customer_type, "end_user")
        portal_partner = self.portal_user.partner_id
        with self.assertRaises(AccessError):
            portal_partner.with_user(self.portal_user).read(["customer_type"])
        fields_seen = self.env["res.partner"].with_user(self.portal_user).fields_get()
        self.assertNotIn("customer_history", fields_seen)
        self.assertNotIn("account_owner_id", fields_seen)

