"""Customer quality specifications on quotation lines: limits, units, missing values, product over
category precedence, the confirmation block and the quality user's override kept as a record."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmIndustrialCommon


class _RaisesRegex:
    def __init__(self, case, exception, regex):
        self.case, self.exception, self.regex = case, exception, regex

    def __enter__(self):
        self.manager = self.case.assertRaises(self.exception)
        self.context = self.manager.__enter__()
        return self.context

    def __exit__(self, *exc_info):
        result = self.manager.__exit__(*exc_info)
        self.case.assertRegex(str(self.context.exception), self.regex)
        return result


class QualitySpecCommon(CrmIndustrialCommon):
    def assertRaisesRegex(self, exception, regex):  # noqa: N802
        """Odoo's assertRaises rolls the failed operation back (a savepoint); unittest's regex variant
        does not."""
        return _RaisesRegex(self, exception, regex)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality_user = new_test_user(
            cls.env, login="crmi_quality", name="Quinn Quality", groups="crm_industrial.group_complaint_user")
        Parameter = cls.env["crm.quality.parameter"]
        cls.sulphur = Parameter.create({"name": "Sulphur (test)", "unit": "%"})
        cls.calorific = Parameter.create({"name": "Calorific value (test)", "unit": "kcal/kg"})
        cls.ash = Parameter.create({"name": "Ash (test)", "unit": "%"})
        cls.fuels = cls.env["product.category"].create({"name": "Fuels (test)"})
        cls.coal = cls.env["product.category"].create({"name": "Coal (test)", "parent_id": cls.fuels.id})
        cls.product.categ_id = cls.coal
        cls.product.product_tmpl_id.quality_value_ids = [
            Command.create({"parameter_id": cls.sulphur.id, "value": 1.1}),
            Command.create({"parameter_id": cls.calorific.id, "value": 5400}),
        ]

    def _spec(self, lines, **target):
        target = target or {"categ_id": self.coal.id}
        return self.env["crm.customer.spec"].create({
            "partner_id": self.customer.id, **target,
            "line_ids": [Command.create(line) for line in lines]})

    def _quotation(self, product=None, user=None):
        return self.env["sale.order"].with_user(user or self.sales_user).create({
            "partner_id": self.customer_contact.id, "user_id": self.sales_user.id,
            "order_line": [Command.create({"product_id": (product or self.product).id, "product_uom_qty": 10})],
        })


@tagged("post_install", "-at_install")
class TestQualitySpecCheck(QualitySpecCommon):
    def test_max_and_min_failures_say_by_how_much_with_units(self):
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8},
                    {"parameter_id": self.calorific.id, "limit_type": "min", "min_value": 5500}])
        line = self._quotation().order_line
        # the unit follows every figure, the limit's too
        self.assertEqual(line.spec_failures.split("\n"), [
            "Sulphur (test): 1.1 %, 0.3 % above the maximum 0.8 %",
            "Calorific value (test): 5400 kcal/kg, 100 kcal/kg below the minimum 5500 kcal/kg"])
        self.assertIn("Sulphur (test)", line.order_id.spec_warning)

    def test_within_limits_and_range(self):
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "range", "min_value": 0.5, "max_value": 1.2},
                    {"parameter_id": self.calorific.id, "limit_type": "min", "min_value": 5400}])
        order = self._quotation()
        self.assertFalse(order.order_line.spec_failures)
        self.assertFalse(order.spec_warning)

    def test_range_and_min_failures_give_each_figure_its_unit(self):
        grindability = self.env["crm.quality.parameter"].create({"name": "Grindability (test)", "unit": "HGI"})
        self.product.product_tmpl_id.quality_value_ids = [
            Command.create({"parameter_id": grindability.id, "value": 40})]
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "range", "min_value": 0.2, "max_value": 0.9},
                    {"parameter_id": grindability.id, "limit_type": "min", "min_value": 50},
                    {"parameter_id": self.ash.id, "limit_type": "range", "min_value": 5, "max_value": 20}])
        self.assertEqual(self._quotation().order_line.spec_failures.split("\n"), [
            "Sulphur (test): 1.1 %, 0.2 % above the maximum 0.9 %",
            "Grindability (test): 40 HGI, 10 HGI below the minimum 50 HGI",
            "Ash (test): not measured (required 5 % - 20 %)"])

    def test_missing_measured_value_fails_as_not_measured(self):
        self._spec([{"parameter_id": self.ash.id, "limit_type": "max", "max_value": 20}])
        self.assertIn("Ash (test): not measured (required ≤ 20 %)", self._quotation().order_line.spec_failures)

    def test_product_spec_wins_over_category_and_deepest_category_wins(self):
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.5}],
                   categ_id=self.fuels.id)
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8}])
        line = self._quotation().order_line
        self.assertIn("maximum 0.8 %", line.spec_failures, "the coal category is more specific than fuels")
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 1.5}],
                   product_tmpl_id=self.product.product_tmpl_id.id)
        self.assertFalse(self._quotation().order_line.spec_failures, "the product's own spec applies")

    def test_no_spec_other_customer_or_company(self):
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8}])
        other = self.env["res.partner"].create({"name": "Other Plant", "is_company": True,
                                                "user_id": self.sales_user.id})
        order = self.env["sale.order"].create({
            "partner_id": other.id, "order_line": [Command.create({"product_id": self.product.id})]})
        self.assertFalse(order.order_line.spec_failures)
        company_b = self.env["res.company"].create({"name": "Other Seller (spec test)"})
        self.env["crm.customer.spec"].create({
            "partner_id": other.id, "company_id": company_b.id, "categ_id": self.coal.id,
            "line_ids": [Command.create({"parameter_id": self.sulphur.id, "max_value": 0.1})]})
        order.invalidate_recordset()
        order.order_line.invalidate_recordset()
        self.assertFalse(order.order_line.spec_failures, "another company's spec does not apply")


    def test_spec_added_or_archived_later_applies_at_once(self):
        """Whether a customer has a specification is read with its figures and cached: a
        specification added, archived or removed in the same transaction is seen at once."""
        order = self._quotation()
        line = order.order_line
        self.assertFalse(line.spec_failures)
        self.assertFalse(self.customer.has_quality_spec)
        spec = self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8}])
        line.invalidate_recordset(["spec_failures"])
        self.assertTrue(self.customer.has_quality_spec)
        self.assertIn("Sulphur (test)", line.spec_failures)
        spec.active = False
        line.invalidate_recordset(["spec_failures"])
        self.assertFalse(line.spec_failures)
        spec.active = True
        line.invalidate_recordset(["spec_failures"])
        self.assertTrue(line.spec_failures)
        spec.unlink()
        line.invalidate_recordset(["spec_failures"])
        self.assertFalse(line.spec_failures)
        self.assertFalse(self.customer.has_quality_spec)

@tagged("post_install", "-at_install")
class TestQualitySpecConfirmation(QualitySpecCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.customer.spec"].create({
            "partner_id": cls.customer.id, "categ_id": cls.coal.id,
            "line_ids": [Command.create({"parameter_id": cls.sulphur.id, "limit_type": "max", "max_value": 0.8})]})

    def _require(self):
        self.customer.with_user(self.quality_user).spec_compliance_required = True

    def test_not_required_confirms_with_warning(self):
        order = self._quotation()
        self.assertTrue(order.spec_warning)
        self.assertFalse(order.spec_blocked)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_required_blocks_confirmation_listing_failures(self):
        self._require()
        order = self._quotation()
        self.assertTrue(order.spec_blocked)
        with self.assertRaisesRegex(UserError, r"Sulphur \(test\): 1.1 %, 0.3 % above the maximum 0.8 %"):
            order.with_user(self.sales_user).action_confirm()
        with self.assertRaises(UserError):
            order.with_user(self.sales_manager).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_salesperson_cannot_lift_the_requirement(self):
        self._require()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.sales_user).write({"spec_compliance_required": False})
        self.assertTrue(self.customer.spec_compliance_required)

    def test_quality_user_override_is_kept_and_allows_confirmation(self):
        self._require()
        order = self._quotation()
        action = order.with_user(self.sales_user).action_open_spec_override()
        wizard = self.env[action["res_model"]].with_user(self.quality_user).with_context(action["context"]).create(
            {"reason": "Plant laboratory accepts the lot in writing"})
        wizard.action_override()
        override = order.spec_override_ids
        self.assertEqual(len(override), 1)
        self.assertEqual((override.user_id, override.line_id, override.reason),
                         (self.quality_user, order.order_line, "Plant laboratory accepts the lot in writing"))
        self.assertIn("0.3 % above the maximum", override.failures)
        self.assertTrue(override.date)
        self.assertIn("Plant laboratory accepts the lot in writing", order.message_ids[0].body)
        self.assertFalse(order.spec_blocked)
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_override_no_longer_covers_a_changed_product(self):
        self._require()
        order = self._quotation()
        self.env["crm.spec.override.wizard"].with_user(self.quality_user).create(
            {"order_id": order.id, "reason": "Accepted"}).action_override()
        other = self.env["product.product"].create({"name": "Coal B (test)", "categ_id": self.coal.id})
        order.order_line.product_id = other
        with self.assertRaisesRegex(UserError, "not measured"):
            order.action_confirm()

    def test_salesperson_cannot_override(self):
        self._require()
        order = self._quotation()
        vals = {"order_id": order.id, "line_id": order.order_line.id, "company_id": order.company_id.id,
                "product_id": self.product.id, "failures": "x", "reason": "I say so",
                "user_id": self.quality_user.id, "date": "2020-01-01 00:00:00"}
        with self.assertRaises(AccessError):
            self.env["crm.spec.override"].with_user(self.sales_user).create(vals)
        with self.assertRaises(AccessError):
            order.with_user(self.sales_user).write({"spec_override_ids": [Command.create(vals)]})
        with self.assertRaises(AccessError):
            self.env["crm.spec.override.wizard"].with_user(self.sales_user).with_context(
                crm_industrial_spec_override=True).create({"order_id": order.id, "reason": "x"}).action_override()
        self.assertFalse(order.sudo().spec_override_ids)
        with self.assertRaises(UserError):
            order.with_user(self.sales_user).with_context(skip_spec_check=True).action_confirm()

    def test_override_is_immutable_and_stamped(self):
        self._require()
        order = self._quotation()
        override = self.env["crm.spec.override"].with_user(self.quality_user).create({
            "order_id": order.id, "line_id": order.order_line.id, "company_id": order.company_id.id,
            "product_id": self.product.id, "failures": "x", "reason": "ok",
            "user_id": self.sales_user.id, "date": "2020-01-01 00:00:00"})
        self.assertEqual(override.user_id, self.quality_user, "who is always the caller")
        self.assertNotEqual(str(override.date)[:4], "2020")
        with self.assertRaises(AccessError):
            override.with_user(self.quality_user).write({"reason": "changed"})
        with self.assertRaisesRegex(ValidationError, "not a valid value"):
            self.env["crm.spec.override"].create({
                "order_id": order.id, "line_id": order.order_line.id, "company_id": order.company_id.id,
                "product_id": self.product.id, "failures": "x", "reason": "ok",
                "user_id": self.quality_user.id, "date": 0})


@tagged("post_install", "-at_install")
class TestQualityUserReview(QualitySpecCommon):
    """A quality user without sales rights finds the quotations a specification blocks, reads them,
    and overrides with a reason; they see no other order and change none."""

    def _blocked_action(self):
        return self.env.ref("crm_industrial.crm_spec_blocked_order_action")

    def test_quality_user_without_sales_rights_finds_and_overrides(self):
        self.assertFalse(self.quality_user.has_group("sales_team.group_sale_salesman"))
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8}])
        self.customer.with_user(self.quality_user).spec_compliance_required = True
        blocked = self._quotation()
        passing = self._quotation(product=self.env["product.product"].create({"name": "Sand (test)"}))
        Order = self.env["sale.order"].with_user(self.quality_user)
        action = self._blocked_action()
        self.assertEqual(self.env.ref("crm_industrial.crm_spec_blocked_order_complaint_menu").action, action)
        domain = safe_eval(action.domain) + [("partner_id.commercial_partner_id", "=", self.customer.id)]
        self.assertEqual(Order.search(domain), blocked, "only the blocked quotation is listed")
        # the review form reads as a quality user
        form = self.env.ref("crm_industrial.sale_order_view_form_spec_review")
        views = Order.get_views([(form.id, "form")])
        spec = {name: {} for name in views["models"]["sale.order"]["fields"]}
        values = Order.browse(blocked.id).web_read({**spec, "order_line": {"fields": {
            "product_id": {"fields": {"display_name": {}}}, "spec_failures": {}}}})[0]
        self.assertTrue(values["spec_blocked"])
        self.assertIn("0.3 % above the maximum 0.8 %", values["order_line"][0]["spec_failures"])
        # the override, from the list button, with a reason
        button = Order.browse(blocked.id).action_open_spec_override()
        wizard = self.env[button["res_model"]].with_user(self.quality_user).with_context(button["context"]).create(
            {"reason": "The plant accepts the lot for blending"})
        self.assertEqual(wizard.read(["order_id"])[0]["order_id"], (blocked.id, blocked.name))
        wizard.action_override()
        override = blocked.spec_override_ids
        self.assertEqual((override.user_id, override.reason),
                         (self.quality_user, "The plant accepts the lot for blending"))
        self.assertFalse(Order.search(domain), "no longer blocked")
        blocked.with_user(self.sales_user).action_confirm()
        self.assertEqual(blocked.state, "sale")
        # rights: reading only, and open quotations of customers with a specification only
        with self.assertRaises(AccessError):
            passing.with_user(self.quality_user).write({"note": "changed"})
        with self.assertRaises(AccessError):
            blocked.with_user(self.quality_user).read(["name"])  # confirmed: no longer theirs to judge
        other = self.env["res.partner"].create({"name": "No Spec Buyer (test)", "is_company": True})
        unrelated = self.env["sale.order"].create({
            "partner_id": other.id, "order_line": [Command.create({"product_id": self.product.id})]})
        with self.assertRaises(AccessError):
            unrelated.with_user(self.quality_user).read(["name"])
        with self.assertRaises(AccessError):
            unrelated.order_line.with_user(self.quality_user).read(["product_id"])

    def test_salesperson_sees_the_list_but_cannot_override(self):
        self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": 0.8}])
        self.customer.with_user(self.quality_user).spec_compliance_required = True
        blocked = self._quotation()
        Order = self.env["sale.order"].with_user(self.sales_user)
        self.assertEqual(Order.search(safe_eval(self._blocked_action().domain) + [
            ("partner_id.commercial_partner_id", "=", self.customer.id)]), blocked)
        self.assertEqual(Order.search([("spec_blocked", "!=", True), ("id", "=", blocked.id)]), Order)
        button = Order.browse(blocked.id).action_open_spec_override()
        with self.assertRaises(AccessError):
            self.env[button["res_model"]].with_user(self.sales_user).with_context(button["context"]).create(
                {"reason": "I say so"}).action_override()
        self.assertFalse(blocked.spec_override_ids)
        with self.assertRaises(UserError):
            Order.search([("spec_blocked", "in", [True])])


@tagged("post_install", "-at_install")
class TestQualitySpecAccessAndInput(QualitySpecCommon):
    def test_bad_input_refused(self):
        with self.assertRaisesRegex(ValidationError, "minimum .* is above the maximum"):
            self._spec([{"parameter_id": self.sulphur.id, "limit_type": "range", "min_value": 2, "max_value": 1}])
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._spec([{"parameter_id": self.sulphur.id, "limit_type": "max", "max_value": -1}])
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.product.product_tmpl_id.quality_value_ids[0].value = -0.5
        with self.assertRaisesRegex(ValidationError, "a product or to a product category"):
            self._spec([], categ_id=self.coal.id, product_tmpl_id=self.product.product_tmpl_id.id)
        with self.assertRaisesRegex(ValidationError, "a product or to a product category"):
            self.env["crm.customer.spec"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(ValidationError, "customer company"):
            self.env["crm.customer.spec"].create({"partner_id": self.customer_contact.id, "categ_id": self.coal.id})
        self._spec([])
        with self.assertRaisesRegex(ValidationError, "already has a specification"):
            self._spec([])

    def test_quality_user_edits_sales_reads_own_portal_nothing(self):
        spec = self.env["crm.customer.spec"].with_user(self.quality_user).create({
            "partner_id": self.customer.id, "categ_id": self.coal.id,
            "line_ids": [Command.create({"parameter_id": self.sulphur.id, "max_value": 0.8})]})
        spec.line_ids.with_user(self.quality_user).max_value = 0.9
        self.env["crm.quality.parameter"].with_user(self.quality_user).create({"name": "Moisture (t)", "unit": "%"})
        self.assertEqual(spec.with_user(self.sales_user).line_ids.max_value, 0.9)
        with self.assertRaises(AccessError):
            spec.with_user(self.sales_user).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.env["crm.quality.parameter"].with_user(self.sales_user).create({"name": "X", "unit": "%"})
        other_user = new_test_user(self.env, login="crmi_sales_other", groups="sales_team.group_sale_salesman")
        self.assertFalse(self.env["crm.customer.spec"].with_user(other_user).search([("id", "=", spec.id)]))
        spec.with_user(self.sales_manager).note = "Tender 2026"
        for model in ("crm.customer.spec", "crm.customer.spec.line", "crm.quality.parameter",
                      "crm.product.quality.value", "crm.spec.override"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_user).search([])

    def test_other_company_spec_invisible(self):
        company_b = self.env["res.company"].create({"name": "Other Seller (spec access)"})
        spec = self.env["crm.customer.spec"].create({
            "partner_id": self.customer.id, "company_id": company_b.id, "categ_id": self.coal.id})
        self.sales_manager.company_ids = [Command.link(self.env.company.id)]
        self.assertFalse(self.env["crm.customer.spec"].with_user(self.sales_manager).search([("id", "=", spec.id)]))

    def test_zh_cn_labels(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        fields_zh = self.env["crm.customer.spec"].with_context(lang="zh_CN").fields_get(["line_ids"])
        self.assertEqual(fields_zh["line_ids"]["string"], "参数")


@tagged("post_install", "-at_install")
class TestQualitySpecDemo(CrmIndustrialCommon):
    """The demo story: the power plant's coal standard and a quotation that breaks its sulphur limit."""

    def test_power_plant_quotation_breaks_the_sulphur_limit(self):
        order = self.env.ref("crm_industrial.sale_order_power_plant_high_sulphur_demo")
        self.assertEqual(order.order_line.spec_failures, "Total Sulphur: 1.1 %, 0.3 % above the maximum 0.8 %")
        self.assertTrue(order.spec_blocked)
        with self.assertRaisesRegex(UserError, "requires its quality specifications"):
            order.action_confirm()
        coal = self.env.ref("crm_industrial.product_thermal_coal_5500_demo")
        spec = self.env.ref("crm_industrial.crm_customer_spec_power_plant_coal_demo")
        self.assertEqual(spec._applicable_spec(spec, coal), spec)
        self.assertFalse(self.env["sale.order"].new({
            "partner_id": order.partner_id.id,
            "order_line": [Command.create({"product_id": coal.id})]}).order_line.spec_failures)
