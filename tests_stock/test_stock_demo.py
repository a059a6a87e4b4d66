"""crm_industrial_stock's demo (installed with the inventory only): a lot-tracked coal with one lot
within the power plant's specification and one outside it, and a delivery of the power plant's order
that the failing lot blocks.

The test stage installs the bridge without demo data (and crm_industrial's demo story needs Odoo's
own demo users): there the records of the story the bridge's demo builds on (the coal category, the
quality parameters, the power plant with its coal specification and requirement, as
crm_customer_strategy_demo.xml makes them) are made under their demo ids, and the bridge's demo file
is loaded as Odoo loads it, in the test's transaction (rolled back)."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import convert_file

# crm_customer_strategy_demo.xml: the power plant's coal specification
PARAMETERS = [
    ("crm_quality_parameter_sulphur_demo", "Total Sulphur", "%", {"limit_type": "max", "max_value": 0.8}),
    ("crm_quality_parameter_calorific_demo", "Calorific Value", "kcal/kg", {"limit_type": "min", "min_value": 5500}),
    ("crm_quality_parameter_ash_demo", "Ash", "%", {"limit_type": "max", "max_value": 20}),
    ("crm_quality_parameter_moisture_demo", "Total Moisture", "%",
     {"limit_type": "range", "min_value": 6, "max_value": 14}),
]


@tagged("post_install", "-at_install")
class TestStockDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("crm_industrial_stock.sale_order_power_plant_lot_demo", raise_if_not_found=False):
            if not cls.env.ref("crm_industrial.partner_power_plant_demo", raise_if_not_found=False):
                cls._make_story_records()
            for filename in get_manifest("crm_industrial_stock")["demo"]:
                convert_file(cls.env, "crm_industrial_stock", filename, {}, mode="init", noupdate=True, kind="demo")
        ref = cls.env.ref
        cls.plant = ref("crm_industrial.partner_power_plant_demo")
        cls.product = ref("crm_industrial_stock.product_thermal_coal_lot_demo")
        cls.lot_ok = ref("crm_industrial_stock.lot_thermal_coal_within_spec_demo")
        cls.lot_bad = ref("crm_industrial_stock.lot_thermal_coal_high_sulphur_demo")
        cls.order = ref("crm_industrial_stock.sale_order_power_plant_lot_demo")

    @classmethod
    def _make_story_records(cls):
        env = cls.env
        category = env["product.category"].create({
            "name": "Coal", "parent_id": env.ref("product.product_category_all").id})
        parameters = env["crm.quality.parameter"].create([
            {"name": name, "unit": unit, "sequence": sequence}
            for sequence, (_xmlid, name, unit, _limits) in enumerate(PARAMETERS, 1)])
        plant = env["res.partner"].create({"name": "Shanxi Jinneng State Power Plant", "is_company": True})
        env["crm.customer.spec"].create({
            "partner_id": plant.id, "categ_id": category.id,
            "line_ids": [Command.create({"parameter_id": parameter.id, **limits})
                         for parameter, (_xmlid, _name, _unit, limits) in zip(parameters, PARAMETERS, strict=True)]})
        plant.spec_compliance_required = True
        records = [("product_category_coal_demo", category), ("partner_power_plant_demo", plant)]
        records += [(row[0], parameter) for row, parameter in zip(PARAMETERS, parameters, strict=True)]
        env["ir.model.data"]._update_xmlids([
            {"xml_id": f"crm_industrial.{xmlid}", "record": record, "noupdate": True} for xmlid, record in records])

    def test_lot_tracked_coal_with_two_analysed_lots(self):
        self.assertEqual((self.product.tracking, self.product.is_storable), ("lot", True))
        self.assertEqual(self.product.categ_id, self.env.ref("crm_industrial.product_category_coal_demo"))
        for lot in (self.lot_ok, self.lot_bad):
            self.assertEqual(lot.product_id, self.product)
            self.assertEqual(len(lot.quality_value_ids), 4, "sulphur, calorific value, ash and moisture measured")
        self.assertEqual(self.product.with_company(self.order.company_id).qty_available, 8000,
                         "both lots in stock (the delivery is not yet done)")

    def test_one_lot_within_the_plants_specification_one_outside(self):
        Spec = self.env["crm.customer.spec"]
        spec = Spec._applicable_spec(
            Spec._specs_for(self.plant, self.order.company_id).get(self.plant.id, Spec.browse()), self.product)
        self.assertTrue(self.plant.with_company(self.order.company_id).spec_compliance_required)
        values = (self.lot_ok | self.lot_bad)._quality_values()

        def failures(lot):
            return [failure for line in spec.line_ids
                    if (failure := line._failure(values.get((lot.id, line.parameter_id.id))))]

        self.assertFalse(failures(self.lot_ok))
        self.assertEqual(len(failures(self.lot_bad)), 1)
        self.assertRegex(failures(self.lot_bad)[0], r"Total Sulphur.*1\.05.*0\.25.*above")

    def test_the_power_plants_delivery_is_blocked_by_the_failing_lot(self):
        self.assertEqual(self.order.state, "sale")
        picking = self.order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_bad)
        self.assertTrue(picking.spec_blocked)
        self.assertIn("JN-2611-B", picking.spec_warning)
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            picking.button_validate()
        quality = new_test_user(self.env, login="crmi_demo_quality", groups="crm_industrial.group_complaint_user",
                                company_id=picking.company_id.id, company_ids=[picking.company_id.id])
        blocked = self.env["crm.lot.spec.blocked.delivery"].with_user(quality).search([("spec_blocked", "=", True)])
        self.assertIn(picking, blocked.picking_id, "quality staff find it among the blocked deliveries")
        # the lot within the specification releases it
        picking.move_line_ids.lot_id = self.lot_ok
        self.assertFalse(picking.move_line_ids.spec_failures)
        self.assertFalse(picking.spec_blocked)
