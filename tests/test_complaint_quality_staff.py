"""Quality and service staff work complaints without sales or accounting rights: the case's form,
as the web client reads it, shows the order and invoice references, never an access error."""

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .test_complaint import ComplaintCommon


def _form_specification(model):
    """What the web client asks for when it opens the form: every field of the view's arch."""
    views = model.get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])
    return {node.get("name"): {"fields": {"display_name": {}}} if model._fields[node.get("name")].relational else {}
            for node in arch.iter("field") if node.getparent().tag != "list" and node.get("name") in model._fields}


@tagged("post_install", "-at_install")
class TestComplaintQualityStaff(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "Anthracite (quality staff)", "list_price": 10})
        cls.order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "order_line": [Command.create({"product_id": product.id})]})
        cls.order.action_confirm()
        cls.complaint = cls.env["crm.complaint"].create({
            "subject": "Fines above contract", "partner_id": cls.customer.id, "sale_order_id": cls.order.id})
        # its remedies, a replacement order and a credit note: sales and accounting documents too
        cls.env["sale.order"].create({"partner_id": cls.customer.id, "complaint_id": cls.complaint.id,
                                      "order_line": [Command.create({"product_id": product.id})]})
        cls.env["account.move"].create({
            "move_type": "out_refund", "partner_id": cls.customer.id, "complaint_id": cls.complaint.id,
            "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 10})]})

    def test_quality_user_opens_a_case_about_an_order(self):
        self.assertFalse(self.quality.has_group("sales_team.group_sale_salesman"))
        Complaint = self.env["crm.complaint"].with_user(self.quality)
        spec = _form_specification(Complaint)
        self.assertNotIn("sale_order_id", spec, "the order itself is not on the form of staff who cannot read it")
        [values] = Complaint.browse(self.complaint.id).web_read(spec)
        self.assertEqual(values["sale_order_ref"], self.order.name)
        self.assertFalse(values["invoice_ref"])
        self.assertNotIn("credit_note_count", spec, "remedies are shown to those who read them")

    def test_salesperson_sees_the_order_itself(self):
        self.customer.user_id = self.salesman
        Complaint = self.env["crm.complaint"].with_user(self.salesman)
        spec = _form_specification(Complaint)
        self.assertNotIn("sale_order_ref", spec)
        [values] = Complaint.browse(self.complaint.id).web_read(spec)
        self.assertEqual(values["sale_order_id"]["id"], self.order.id)
        self.assertEqual((values["replacement_count"], values["credit_note_count"]), (1, 1))

    def test_quality_user_prints_the_case(self):
        html = self.env["ir.actions.report"].with_user(self.quality)._render_qweb_html(
            "crm_industrial.report_crm_complaint", self.complaint.ids)[0].decode()
        self.assertIn(self.order.name, html)
