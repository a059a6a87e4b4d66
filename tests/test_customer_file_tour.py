from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestCustomerFileTour(CrmIndustrialHttpCase):
    def test_sales_user_fills_customer_file(self):
        new_test_user(self.env, login="crmi_tour_sales", password="crmi_tour_sales",
                      groups="sales_team.group_sale_salesman")
        customer = self.env["res.partner"].create({"name": "Tour Coal Trading", "is_company": True})
        self.start_tour("/odoo/contacts", "crm_industrial_customer_file_tour", login="crmi_tour_sales")
        self.assertEqual(customer.customer_type, "distributor")
        self.assertEqual(customer.customer_warehouse_capacity, 12000)
        self.assertEqual(customer.customer_history, "Family-owned coal trader since 1998.")
