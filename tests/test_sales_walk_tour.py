from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestSalesWalkTour(CrmIndustrialHttpCase):
    def test_key_account_managers_walk(self):
        """Customer warnings → buying center → opportunity warning → complaint → notice resend."""
        env = self.env
        user = new_test_user(env, login="crmi_walk", password="crmi_walk", groups=(
            "sales_team.group_sale_manager,crm_industrial.group_supply_notice_manager"))
        customer = env["res.partner"].create({
            "name": "Tour Steelworks", "is_company": True, "user_id": user.id,
            "email": "purchasing@tour-steelworks.example.com"})
        buyer = env["res.partner"].create({
            "name": "Tour Buyer", "parent_id": customer.id, "email": "buyer@tour-steelworks.example.com",
            "buying_role_ids": [Command.link(env.ref("crm_industrial.crm_buying_role_purchasing_manager").id)]})
        env["crm.lead"].create({
            "name": "Tour: coking coal 2027", "type": "opportunity", "partner_id": customer.id,
            "user_id": user.id, "buying_center_contact_ids": [Command.set(buyer.ids)]})
        env["crm.complaint"].create({"subject": "Tour: wet coal in wagon 7", "partner_id": customer.id,
                                     "severity": "normal", "user_id": user.id})
        product = env["product.product"].create({"name": "Tour coking coal"})
        notice = env["crm.supply.notice"].create({
            "title": "Tour: rail strike", "message": "<p>Deliveries by rail stop for a week.</p>",
            "product_ids": [Command.link(product.id)]})
        env["crm.supply.notice.recipient"].create({"notice_id": notice.id, "partner_id": customer.id})
        notice.action_publish()
        recipient = notice.recipient_ids
        recipient.sudo().mail_id.write({"state": "exception", "failure_reason": "Connection refused"})
        self.assertEqual(recipient.send_status, "failed")
        self.start_tour(f"/odoo/contacts/{customer.id}", "crm_industrial_sales_walk_tour", login="crmi_walk")
        self.assertEqual(recipient.send_status, "queued", "resent from the recipient list")
