"""Numbers people type are bounded to what the business allows (no overflow in daily jobs)."""

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from .common import CrmIndustrialCommon


@tagged("post_install", "-at_install")
class TestBounds(CrmIndustrialCommon):
    def test_going_cold_delay(self):
        role = self.env["crm.buying.role"].create({"name": "Plant Manager", "cold_after_days": 120})
        for days in (-1, 3_000_000):
            with self.assertRaises(ValidationError):
                role.cold_after_days = days
        role.cold_after_days = 0
        self.assertEqual(role.cold_after_days, 0, "0 means never")

    def test_customer_file_headcount_and_capacity(self):
        for vals in ({"customer_employee_count": 3_000_000_000 // 2}, {"customer_sales_force": 20_000_000},
                     {"customer_warehouse_capacity": 1e15}, {"customer_distribution_capacity": -5}):
            with self.assertRaises(ValidationError):
                self.customer.write(vals)
        self.customer.customer_employee_count = 4_200
        self.assertEqual(self.customer.customer_employee_count, 4_200)

    def test_company_inactivity_period(self):
        for days in (0, 3_000_000):
            with self.assertRaises(ValidationError):
                self.env.company.key_account_inactive_days = days

    def test_settings(self):
        for vals in ({"crm_industrial_recent_contact_days": 3_000_000},
                     {"crm_industrial_birthday_reminder_days": 3_000_000},
                     {"crm_industrial_coverage_threshold": 101}):
            with self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(vals)

    def test_system_parameters_outside_the_settings_are_bounded(self):
        params = self.env["ir.config_parameter"]
        partners = self.env["res.partner"]
        params.set_param("crm_industrial.birthday_reminder_days", "3000000")
        self.assertEqual(partners._birthday_reminder_days(), 365)
        params.set_param("crm_industrial.recent_contact_days", "not a number")
        self.assertEqual(partners._recent_contact_days(), 90)
        params.set_param("crm_industrial.coverage_threshold", "-20")
        self.assertEqual(partners._coverage_threshold(), 0)
        # The daily job runs on the bounded value.
        params.set_param("crm_industrial.birthday_reminder_days", "3000000")
        partners._cron_schedule_birthday_reminders()


@tagged("post_install", "-at_install")
class TestValuesFromAnyClient(CrmIndustrialCommon):
    """What RPC can send that no form would: checked before the database, as ValidationErrors."""

    def test_integer_past_postgresql_and_wrong_types(self):
        customer = self.customer.with_user(self.sales_user)
        for value in (2**31, -(2**31) - 1, 10**20, "many", [3], {"n": 1}):
            with self.assertRaises(ValidationError, msg=repr(value)):
                customer.write({"customer_employee_count": value})
        self.assertEqual(customer.customer_employee_count, 0, "nothing half-written")

    def test_unknown_selection_key_far_date_and_text_as_list(self):
        customer = self.customer.with_user(self.sales_user)
        for vals in ({"customer_type": "bogus"}, {"customer_since": "9999-12-31"}, {"customer_since": "0001-01-01"},
                     {"customer_since": "2026-13-45"}, {"customer_history": ["a", "b"]}):
            with self.assertRaises(ValidationError, msg=repr(vals)):
                customer.write(vals)
        customer.write({"customer_since": "2019-03-01", "customer_type": "distributor"})
        self.assertEqual(str(customer.customer_since), "2019-03-01")

    def test_many2many_given_something_else_than_commands(self):
        category = self.env["product.category"].create({"name": "Coking coal"})
        Notice = self.env["crm.supply.notice"]
        for value in ("'; DROP TABLE res_partner; --", [("x",)], [(9, 1)], [(4, "1")], [(6, 0, "1,2")],
                      [(0, 0, "values")], {"ids": [1]}, [True]):
            with self.assertRaises(ValidationError, msg=repr(value)):
                Notice.create({"title": "Fuzz", "message": "Fuzz", "product_category_ids": value})
        notice = Notice.create({"title": "Coal", "message": "Late",
                                "product_category_ids": [Command.set(category.ids)]})
        self.assertEqual(notice.product_category_ids, category)

    def test_required_field_emptied(self):
        complaint = self.env["crm.complaint"].create({"subject": "Wet coal", "partner_id": self.customer.id})
        for value in (False, None):
            with self.assertRaises(ValidationError):
                complaint.with_user(self.sales_user).write({"subject": value})
        self.assertEqual(complaint.subject, "Wet coal")

    def test_computed_tier_on_an_order_cannot_be_forged(self):
        tier = self.env["crm.key.account.tier"].search([], limit=1)
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "user_id": self.sales_user.id})
        with self.assertRaises(ValidationError):
            order.with_user(self.sales_user).write({"key_account_tier_id": tier.id})
        self.assertFalse(order.key_account_tier_id)

    def test_record_id_zero_is_missing(self):
        with self.assertRaises(MissingError):
            self.env["crm.complaint"].browse([0]).with_user(self.sales_user).write({"subject": "x"})

    def test_one_record_actions_and_back_office_buttons(self):
        tiers = self.env["crm.key.account.tier"].search([], limit=2)
        with self.assertRaises(UserError):
            tiers.with_user(self.sales_user).action_open_customers()
        with self.assertRaises(AccessError):
            tiers[:1].with_user(self.portal_user).action_open_customers()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.portal_user).action_open_complaints()
        self.assertEqual(tiers[:1].with_user(self.sales_user).action_open_customers()["type"], "ir.actions.act_window")
