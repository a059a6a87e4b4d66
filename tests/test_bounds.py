"""Numbers people type are bounded to what the business allows (no overflow in daily jobs)."""

from odoo.exceptions import ValidationError
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
