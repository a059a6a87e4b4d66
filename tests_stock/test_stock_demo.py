"""crm_industrial_stock's demo (installed with the inventory only): a lot-tracked coal with one lot
within the power plant's specification and one outside it, and a delivery of the power plant's order
that the failing lot blocks.

The test stage installs the bridge without demo data: the demo story of crm_industrial and the
bridge's demo are then loaded here, in the test's transaction (rolled back)."""

from odoo.exceptions import UserError
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import convert_file


@tagged("post_install", "-at_install")
class TestStockDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for module, marker in (("crm_industrial", "partner_power_plant_demo"),
                               ("crm_industrial_stock", "sale_order_power_plant_lot_demo")):
            if not cls.env.ref(f"{module}.{marker}", raise_if_not_found=False):
                idref = {}
                for filename in get_manifest(module)["demo"]:
                    convert_file(cls.env, module, filename, idref, mode="init", noupdate=True, kind="demo")
        cls.env.invalidate_all()
        ref = cls.env.ref
        cls.plant = ref("crm_industrial.partner_power_plant_demo")
        cls.product = ref("crm_industrial_stock.product_thermal_coal_lot_demo")
        cls.lot_ok = ref("crm_industrial_stock.lot_thermal_coal_within_spec_demo")
        cls.lot_bad = ref("crm_industrial_stock.lot_thermal_coal_high_sulphur_demo")
        cls.order = ref("crm_industrial_stock.sale_order_power_plant_lot_demo")

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
