"""Shared fixtures: every test builds its own data, never relying on demo records."""

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon


class CrmIndustrialCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_user = new_test_user(
            cls.env, login="crmi_sales", name="Sally Sales", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(
            cls.env, login="crmi_sales_manager", groups="sales_team.group_sale_manager")
        cls.internal_user = new_test_user(cls.env, login="crmi_internal", groups="base.group_user")
        cls.portal_user = new_test_user(cls.env, login="crmi_portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create({
            "name": "Harbin Coking Chemicals",
            "is_company": True,
            "user_id": cls.sales_user.id,
        })
        cls.customer_contact = cls.env["res.partner"].create({
            "name": "Wang Lei", "parent_id": cls.customer.id, "type": "contact",
        })
        cls.product = cls.env["product.product"].create({
            "name": "Thermal Coal 5500 kcal", "type": "consu", "list_price": 120.0,
        })

    @classmethod
    def _confirmed_order(cls, partner, date_order, qty=100.0):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "date_order": fields.Datetime.to_datetime(date_order),
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
        })
        order.action_confirm()
        # Confirming stamps today's date; keep the one the story needs.
        order.date_order = fields.Datetime.to_datetime(date_order)
        return order


class CrmIndustrialHttpCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # CPython 3.11.7 race: build Odoo's static-file map once before the browser's
        # parallel requests do (see ODOO_NOTES.md).
        from odoo.http import root
        root.statics  # noqa: B018
