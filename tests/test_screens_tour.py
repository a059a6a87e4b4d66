from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestScreensTour(CrmIndustrialHttpCase):
    def test_every_screen_opens(self):
        env = self.env
        user = new_test_user(env, login="crmi_screens", password="crmi_screens", groups=(
            "sales_team.group_sale_manager,crm_industrial.group_complaint_manager,"
            "crm_industrial.group_buying_center_personal"))
        customer = env["res.partner"].create({"name": "Tour Power Station", "is_company": True,
                                              "user_id": user.id})
        boss = env["res.partner"].create({
            "name": "Tour Director", "parent_id": customer.id,
            "buying_role_ids": [Command.link(env.ref("crm_industrial.crm_buying_role_general_manager").id)]})
        env["res.partner"].create({
            "name": "Tour Buyer", "parent_id": customer.id, "reports_to_id": boss.id, "attitude": "champion",
            "buying_role_ids": [Command.link(env.ref("crm_industrial.crm_buying_role_purchasing_manager").id)]})
        product = env["product.product"].create({"name": "Tour coal", "list_price": 100})
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": customer.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 100000,
                                                 "tax_ids": [Command.clear()]})]})
        invoice.action_post()
        env["crm.key.account.stat"]._recompute()
        env["crm.complaint"].create({"subject": "Tour: wet coal in wagon 12", "partner_id": customer.id,
                                     "severity": "high", "user_id": user.id})
        self.start_tour("/odoo", "crm_industrial_screens_tour", login="crmi_screens")
