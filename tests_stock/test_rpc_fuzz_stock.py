"""crm_industrial_stock answers any JSON-RPC call as crm_industrial does (tests/test_rpc_fuzz.py):
a salesperson and a portal user call create, write, copy, unlink and every public method of the
bridge's models, and the bridge's methods on deliveries and lots, with generated values; every
answer is a success leaving valid records or a user-facing error leaving records as they were."""

from odoo import Command
from odoo.tests import tagged

import tests.test_rpc_fuzz as main_fuzz

ADDON = "crm_industrial_stock"
EXTENDED_MODELS = ("stock.picking", "stock.lot", "stock.move.line")


@tagged("post_install", "-at_install")
class TestStockRpcFuzz(main_fuzz.TestRpcFuzz):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        sulphur = env["crm.quality.parameter"].create({"name": "Fuzz Sulphur", "unit": "%"})
        product = env["product.product"].create({
            "name": "Fuzz Coal", "is_storable": True, "tracking": "lot", "list_price": 90})
        env["crm.customer.spec"].create({
            "partner_id": cls.customer.id, "product_tmpl_id": product.product_tmpl_id.id,
            "line_ids": [Command.create({"parameter_id": sulphur.id, "limit_type": "max", "max_value": 0.8})]})
        cls.customer.spec_compliance_required = True
        lot = env["stock.lot"].create({"name": "FUZZ-1", "product_id": product.id, "quality_value_ids": [
            Command.create({"parameter_id": sulphur.id, "value": 1.2})]})
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 50, lot_id=lot)
        order = env["sale.order"].with_context(tracking_disable=True).create({
            "partner_id": cls.customer.id, "user_id": cls.salesperson.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 5})]})
        env["crm.spec.override"].sudo().create([{
            "order_id": order.id, "line_id": line.id, "company_id": order.company_id.id,
            "product_id": line.product_id.id, "failures": "-", "reason": "fuzz", "user_id": env.uid,
            "date": "2026-01-01 00:00:00"} for line in order.order_line])
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        env["crm.lot.spec.override"].sudo().create({
            "picking_id": picking.id, "lot_id": lot.id, "product_id": product.id, "company_id": env.company.id,
            "failures": "-", "reason": "fuzz", "user_id": env.uid, "date": "2026-01-01 00:00:00"})
        wizard = env["crm.lot.spec.override.wizard"].create({"picking_id": picking.id, "reason": "fuzz"})
        cls.known.update({model: env[model].search([]).ids for model in cls._fuzzed_models(env)})
        cls.known["crm.lot.spec.override.wizard"] = wizard.ids
        cls.known["stock.picking"] = picking.ids
        cls.known["stock.lot"] = lot.ids
        cls.known["stock.move.line"] = picking.move_line_ids.ids
        cls.ids_of.update({"stock.picking": picking.ids, "stock.lot": lot.ids, "parameter": sulphur.ids,
                           "product": product.ids})

    @classmethod
    def _fuzzed_models(cls, env):
        return sorted(name for name, model in env.registry.items()
                      if model._original_module == ADDON and not model._abstract)

    def _fields_to_send(self, model):
        return sorted(name for name, field in self.env[model]._fields.items()
                      if field._module == ADDON and (field.store or field.inverse) and not field.automatic
                      and field.type not in ("one2many", "binary"))

    def _public_methods(self, model):
        model_class = type(self.env[model])
        base_names = set(dir(type(self.env["mail.thread"]))) | set(dir(type(self.env["base"])))
        names = {name for name in dir(model_class)
                 if not name.startswith("_") and name not in base_names and callable(getattr(model_class, name))
                 and not getattr(getattr(model_class, name), "_api_private", False)
                 and getattr(getattr(model_class, name), "__module__", "").startswith(f"odoo.addons.{ADDON}")}
        if model not in EXTENDED_MODELS:
            names |= {"copy", "unlink"}
        return sorted(names)

    def _check_valid(self, model, ids):
        self.env.invalidate_all()
        records = self.env[model].sudo().with_context(active_test=False).browse(ids).exists()
        records._validate_fields([name for name, field in records._fields.items()
                                  if field._module == ADDON and field.store])

    def _calls_for_everyone(self):
        return self._calls([*self._fuzzed_models(self.env), *EXTENDED_MODELS])

    def _required(self, model):
        return {
            "crm.lot.quality.value": {"lot_id": self.ids_of["stock.lot"][0],
                                      "parameter_id": self.ids_of["parameter"][0]},
            "crm.lot.spec.override": {
                "picking_id": self.ids_of["stock.picking"][0], "lot_id": self.ids_of["stock.lot"][0],
                "product_id": self.ids_of["product"][0], "company_id": self.env.company.id, "failures": "Fuzz",
                "reason": "Fuzz"},
            "crm.lot.spec.override.wizard": {"picking_id": self.ids_of["stock.picking"][0], "reason": "Fuzz"},
            # a read-only report: nobody creates its rows
            "crm.lot.spec.blocked.delivery": {"picking_id": self.ids_of["stock.picking"][0], "name": "Fuzz"},
        }.get(model) or super()._required(model)
