"""crm_industrial_stock: lots carry measured quality values that win over their product's; a sales
delivery shows which lot fails the customer's specification and by how much, and its validation is
refused for customers that require compliance unless a quality user overrides it with a reason."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestLotSpec(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        both = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.stock_user = new_test_user(
            cls.env, login="crmi_lot_stock", groups="stock.group_stock_user,stock.group_production_lot", **both)
        cls.quality_user = new_test_user(
            cls.env, login="crmi_lot_quality", name="Quinn Lot Quality",
            groups="stock.group_stock_user,crm_industrial.group_complaint_user", **both)
        cls.salesperson = new_test_user(
            cls.env, login="crmi_lot_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user", **both)
        Parameter = cls.env["crm.quality.parameter"]
        cls.sulphur = Parameter.create({"name": "Sulphur (lot test)", "unit": "%"})
        cls.ash = Parameter.create({"name": "Ash (lot test)", "unit": "%"})
        cls.coal = cls.env["product.category"].create({"name": "Coal (lot test)"})
        cls.product = cls.env["product.product"].create({
            "name": "Washed Coal (lot test)", "is_storable": True, "tracking": "lot", "categ_id": cls.coal.id,
            "list_price": 100, "quality_value_ids": [
                Command.create({"parameter_id": cls.sulphur.id, "value": 0.7}),
                Command.create({"parameter_id": cls.ash.id, "value": 15}),
            ]})
        cls.strict = cls._customer("Strict Power Plant (lot test)", required=True)
        cls.lenient = cls._customer("Lenient Boiler Works (lot test)")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        Lot = cls.env["stock.lot"]
        cls.lot_bad = Lot.create({"name": "LT-BAD", "product_id": cls.product.id, "quality_value_ids": [
            Command.create({"parameter_id": cls.sulphur.id, "value": 1.1})]})
        cls.lot_low = Lot.create({"name": "LT-LOW", "product_id": cls.product.id, "quality_value_ids": [
            Command.create({"parameter_id": cls.sulphur.id, "value": 0.5})]})
        cls.lot_plain = Lot.create({"name": "LT-PLAIN", "product_id": cls.product.id})
        for lot in (cls.lot_bad, cls.lot_low, cls.lot_plain):
            cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100, lot_id=lot)

    @classmethod
    def _customer(cls, name, required=False, company=None):
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        cls.env["crm.customer.spec"].create({
            "partner_id": customer.id, "categ_id": cls.coal.id, "company_id": (company or cls.company).id,
            "line_ids": [Command.create({"parameter_id": cls.sulphur.id, "limit_type": "max", "max_value": 0.8}),
                         Command.create({"parameter_id": cls.ash.id, "limit_type": "max", "max_value": 20})]})
        if required:
            customer.with_company(company or cls.company).spec_compliance_required = True
        return customer

    def _delivery(self, customer, lot):
        order = self.env["sale.order"].create({
            "partner_id": customer.id, "order_line": [Command.create({"product_id": self.product.id,
                                                                      "product_uom_qty": 10})]})
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "outgoing")
        self._choose(picking, lot)
        return picking

    def _choose(self, picking, lot):
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create({
            "move_id": move.id, "picking_id": picking.id, "product_id": self.product.id, "lot_id": lot.id,
            "quantity": 10, "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id,
            "product_uom_id": self.product.uom_id.id})
        picking.invalidate_recordset()

    # ------------------------------------------------------------ lot values

    def test_lot_values_win_over_product_values(self):
        picking = self._delivery(self.lenient, self.lot_bad)
        self.assertRegex(picking.move_line_ids.spec_failures, r"Sulphur \(lot test\): 1\.1.*0\.3.*above the maximum",
                         "the lot's 1.1 wins over the product's passing 0.7")
        self.product.product_tmpl_id.quality_value_ids.filtered(
            lambda value: value.parameter_id == self.sulphur).value = 0.9
        self._choose(picking, self.lot_low)
        self.assertFalse(picking.move_line_ids.spec_failures, "the lot's 0.5 wins over the product's failing 0.9")
        self._choose(picking, self.lot_plain)
        self.assertRegex(picking.move_line_ids.spec_failures, r"0\.9.*0\.1.*above",
                         "a lot without the parameter takes the product's value")
        self.assertNotIn("Ash", picking.move_line_ids.spec_failures, "the product's ash (15) is within 20")
        self.product.product_tmpl_id.quality_value_ids = [Command.clear()]
        self.assertIn("not measured", picking.move_line_ids.spec_failures)

    def test_bad_lot_values_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.lot_plain.quality_value_ids = [Command.create({"parameter_id": self.ash.id, "value": -1})]
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.lot_bad.quality_value_ids = [Command.create({"parameter_id": self.sulphur.id, "value": 1})]
        with self.assertRaises(AccessError):
            self.lot_plain.with_user(self.salesperson).quality_value_ids = [
                Command.create({"parameter_id": self.ash.id, "value": 3})]

    # ------------------------------------------------------------ the delivery check

    def test_failing_lot_shown_and_validation_refused(self):
        picking = self._delivery(self.strict, self.lot_bad).with_user(self.stock_user)
        self.assertIn("LT-BAD", picking.spec_warning)
        self.assertIn("0.3", picking.spec_warning)
        self.assertTrue(picking.spec_compliance_required)
        self.assertTrue(picking.spec_blocked)
        with self.assertRaisesRegex(UserError, r"cannot be validated(.|\n)*LT-BAD(.|\n)*Sulphur"):
            picking.button_validate()
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            picking.with_context(skip_sanity_check=True)._action_done()
        self.assertNotEqual(picking.state, "done")
        picking.move_line_ids.quantity = 0
        self.assertFalse(picking.move_line_ids.spec_failures, "a lot line that ships nothing is not checked")
        self._choose(picking, self.lot_low)
        self.assertFalse(picking.spec_blocked)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_refused_delivery_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_industrial", "crm_industrial_stock"], ["zh_CN"], overwrite=True)
        picking = self._delivery(self.strict, self.lot_bad).with_user(self.stock_user).with_context(lang="zh_CN")
        self.assertIn("不符合", picking.spec_warning)
        with self.assertRaisesRegex(UserError, "无法验证(.|\n)*LT-BAD"):
            picking.button_validate()

    def test_customer_without_compliance_requirement_only_warned(self):
        picking = self._delivery(self.lenient, self.lot_bad).with_user(self.stock_user)
        self.assertIn("LT-BAD", picking.spec_warning)
        self.assertFalse(picking.spec_compliance_required)
        self.assertFalse(picking.spec_blocked)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_not_a_sales_delivery_is_not_checked(self):
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id, "partner_id": self.strict.id,
            "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            "move_ids": [Command.create({"name": "x", "product_id": self.product.id, "product_uom_qty": 10,
                                         "location_id": self.warehouse.lot_stock_id.id,
                                         "location_dest_id": self.env.ref("stock.stock_location_customers").id})]})
        picking.action_confirm()
        self._choose(picking, self.lot_bad)
        self.assertFalse(picking.spec_warning, "no sales order: nothing the customer's specification governs")

    # ------------------------------------------------------------ override

    def test_quality_user_overrides_with_a_reason_kept(self):
        picking = self._delivery(self.strict, self.lot_bad)
        Wizard = self.env["crm.lot.spec.override.wizard"].with_user(self.quality_user)
        wizard = Wizard.create({"picking_id": picking.id, "reason": "   "})
        self.assertIn("LT-BAD", wizard.failures)
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_override()
        Wizard.create({"picking_id": picking.id, "reason": "Blended at the plant, agreed by its laboratory"}
                      ).action_override()
        override = picking.lot_spec_override_ids
        self.assertEqual((override.lot_id, override.user_id, override.product_id),
                         (self.lot_bad, self.quality_user, self.product))
        self.assertEqual(override.reason, "Blended at the plant, agreed by its laboratory")
        self.assertIn("0.3", override.failures)
        self.assertIn("Blended at the plant", picking.message_ids[0].body)
        picking = picking.with_user(self.stock_user)
        self.assertFalse(picking.spec_blocked)
        self.assertIn("overridden", picking.spec_warning)
        with self.assertRaises(AccessError):
            override.with_user(self.quality_user).reason = "Changed afterwards"
        # the override covers that lot only
        other = self.env["stock.lot"].create({"name": "LT-BAD-2", "product_id": self.product.id, "quality_value_ids": [
            Command.create({"parameter_id": self.ash.id, "value": 25})]})
        self.env["stock.quant"]._update_available_quantity(self.product, self.warehouse.lot_stock_id, 100, lot_id=other)
        self._choose(picking, other)
        self.assertTrue(picking.spec_blocked)
        self._choose(picking, self.lot_bad)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_salesperson_cannot_override(self):
        picking = self._delivery(self.strict, self.lot_bad)
        with self.assertRaises(AccessError):
            self.env["crm.lot.spec.override.wizard"].with_user(self.salesperson).create({
                "picking_id": picking.id, "reason": "Urgent"}).action_override()
        with self.assertRaises(AccessError):
            self.env["crm.lot.spec.override"].with_user(self.salesperson).create({
                "picking_id": picking.id, "lot_id": self.lot_bad.id, "product_id": self.product.id,
                "company_id": self.company.id, "failures": "-", "reason": "Urgent"})
        with self.assertRaises(AccessError):  # a context key grants nothing
            self.env["crm.lot.spec.override.wizard"].with_user(self.salesperson).with_context(
                crm_industrial_quality=True).create({"picking_id": picking.id, "reason": "x"}).action_override()
        self.assertFalse(picking.lot_spec_override_ids)
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            picking.with_user(self.stock_user).button_validate()

    # ------------------------------------------------------------ companies

    def test_other_companys_lot_and_spec_excluded(self):
        other_company = self.env["res.company"].create({"name": "Second Coal Co (lot test)"})
        # a customer whose specification and requirement are the other company's only
        elsewhere = self.env["res.partner"].create({"name": "Elsewhere Plant (lot test)", "is_company": True})
        self.env["crm.customer.spec"].create({
            "partner_id": elsewhere.id, "categ_id": self.coal.id, "company_id": other_company.id,
            "line_ids": [Command.create({"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.1})]})
        elsewhere.with_company(other_company).spec_compliance_required = True
        picking = self._delivery(elsewhere, self.lot_bad).with_user(self.stock_user)
        self.assertFalse(picking.move_line_ids.spec_failures)
        self.assertFalse(picking.spec_compliance_required)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # the other company's lot values are not this company's users' to read
        their_lot = self.env["stock.lot"].create({
            "name": "LT-THEIRS", "product_id": self.product.id, "company_id": other_company.id,
            "quality_value_ids": [Command.create({"parameter_id": self.sulphur.id, "value": 0.2})]})
        Value = self.env["crm.lot.quality.value"].with_user(self.stock_user)
        self.assertFalse(Value.search([("lot_id", "=", their_lot.id)]))
        self.assertTrue(Value.search([("lot_id", "=", self.lot_bad.id)]))
        with self.assertRaises(AccessError):
            their_lot.quality_value_ids.with_user(self.stock_user).read(["value"])
        # and its quality users override nothing in this company
        other_quality = new_test_user(
            self.env, login="crmi_lot_quality_2", groups="crm_industrial.group_complaint_user",
            company_id=other_company.id, company_ids=[other_company.id])
        blocked = self._delivery(self.strict, self.lot_bad)
        with self.assertRaises(AccessError):
            self.env["crm.lot.spec.override.wizard"].with_user(other_quality).create({
                "picking_id": blocked.id, "reason": "Not my company"}).action_override()
        self.assertFalse(blocked.lot_spec_override_ids)

    def test_portal_sees_nothing_of_the_quality(self):
        portal = new_test_user(self.env, login="crmi_lot_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["crm.lot.quality.value"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.env["crm.lot.spec.override"].with_user(portal).search([])

    # ------------------------------------------------------------ deliveries blocked, for quality staff

    def _blocked_rows(self, user, company=None):
        action = self.env.ref("crm_industrial_stock.crm_lot_spec_blocked_delivery_action")
        Rows = self.env["crm.lot.spec.blocked.delivery"].with_user(user)
        if company:
            Rows = Rows.with_company(company)
        return Rows.search(safe_eval(action.domain))

    def test_quality_user_without_inventory_rights_overrides_a_blocked_delivery(self):
        quality_only = new_test_user(
            self.env, login="crmi_lot_quality_only", groups="crm_industrial.group_complaint_user",
            company_id=self.company.id, company_ids=[self.company.id])
        self.assertFalse(quality_only.has_group("stock.group_stock_user"))
        blocked = self._delivery(self.strict, self.lot_bad)
        passing = self._delivery(self.strict, self.lot_low)
        warned = self._delivery(self.lenient, self.lot_bad)
        rows = self._blocked_rows(quality_only)
        self.assertIn(blocked, rows.picking_id)
        self.assertNotIn(passing, rows.picking_id, "a delivery within the specification is not blocked")
        self.assertNotIn(warned, rows.picking_id, "a customer without the requirement is only warned")
        row = rows.filtered(lambda row: row.picking_id == blocked)
        self.assertEqual((row.partner_id, row.sale_id, row.name), (self.strict, blocked.sale_id, blocked.name))
        self.assertIn("LT-BAD", row.spec_warning)
        self.assertIn("0.3", row.spec_warning)
        # read-only, and no inventory rights through it
        with self.assertRaises(AccessError):
            blocked.with_user(quality_only).read(["name"])
        with self.assertRaises(AccessError):
            blocked.with_user(quality_only).write({"origin": "changed"})
        with self.assertRaises(AccessError):
            row.write({"name": "changed"})
        with self.assertRaises(AccessError):
            row.unlink()
        # the override from the list, as the web client opens it
        action = row.action_open_lot_spec_override()
        self.assertEqual(action["res_model"], "crm.lot.spec.override.wizard")
        form = Form(self.env[action["res_model"]].with_user(quality_only).with_context(action["context"]))
        self.assertIn("LT-BAD", form.failures)
        form.reason = "Plant laboratory agrees to blend it with lot LT-LOW"
        form.save().action_override()
        self.assertEqual(blocked.lot_spec_override_ids.user_id, quality_only)
        self.assertFalse(self._blocked_rows(quality_only).filtered(lambda row: row.picking_id == blocked),
                         "overridden: no longer blocked")
        blocked.with_user(self.stock_user).button_validate()
        self.assertEqual(blocked.state, "done")

    def test_blocked_deliveries_of_the_users_companies_only(self):
        other_company = self.env["res.company"].create({"name": "Third Coal Co (blocked test)"})
        other_quality = new_test_user(
            self.env, login="crmi_lot_quality_3", groups="crm_industrial.group_complaint_user",
            company_id=other_company.id, company_ids=[other_company.id])
        blocked = self._delivery(self.strict, self.lot_bad)
        self.assertTrue(self._blocked_rows(self.quality_user).filtered(lambda row: row.picking_id == blocked))
        self.assertFalse(self._blocked_rows(other_quality), "another company's deliveries are not listed")
        row = self.env["crm.lot.spec.blocked.delivery"].search([("picking_id", "=", blocked.id)])
        with self.assertRaises(AccessError):
            row.with_user(other_quality).action_open_lot_spec_override()
        with self.assertRaises(AccessError):
            self.env["crm.lot.spec.override.wizard"].with_user(other_quality).create({
                "picking_id": blocked.id, "reason": "Not my company"}).action_override()
        # salespeople and portal users have no access to the list
        pure_sales = new_test_user(self.env, login="crmi_lot_sales_only", groups="sales_team.group_sale_salesman")
        for user in (pure_sales, new_test_user(self.env, login="crmi_lot_portal_2", groups="base.group_portal")):
            with self.assertRaises(AccessError):
                self.env["crm.lot.spec.blocked.delivery"].with_user(user).search([])
        with self.assertRaisesRegex(UserError, "= or !="):
            self.env["crm.lot.spec.blocked.delivery"].search([("spec_blocked", "in", [True])])
