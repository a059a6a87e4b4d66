"""Rules every screen of the addon follows: times shown without seconds, execution bars that stay
drawn past 100 %, supply-notice columns in workflow order."""

from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmIndustrialCommon

SHOWN_VIEW_TYPES = ("list", "form", "kanban")


def _options(node):
    """A field node's options, a JavaScript object literal."""
    return safe_eval(node.get("options") or "{}", {"false": False, "true": True})


@tagged("post_install", "-at_install")
class TestScreenRules(CrmIndustrialCommon):
    def _addon_views(self):
        """The addon's list, form and kanban views (their own arch, extensions included)."""
        views = self.env["ir.ui.view"].browse(self.env["ir.model.data"].search([
            ("module", "=", "crm_industrial"), ("model", "=", "ir.ui.view")]).mapped("res_id"))
        return views.filtered(lambda view: view.type in SHOWN_VIEW_TYPES)

    def _fields(self, node, model):
        """(model, field node) of every field node under `node`, following sub-views into their model."""
        for child in node.iterchildren(tag=etree.Element):
            if child.tag == "field" and child.get("position"):
                # an extension's anchor in another view: what it adds is checked, not the anchor
                yield from self._fields(child, model)
            elif child.tag == "field":
                field = model._fields.get(child.get("name"))
                yield model, child
                if field is not None and field.relational:
                    yield from self._fields(child, self.env[field.comodel_name])
            else:
                yield from self._fields(child, model)

    def test_datetimes_are_shown_without_seconds(self):
        missing = []
        for view in self._addon_views():
            for model, node in self._fields(etree.fromstring(view.arch_db), self.env[view.model]):
                field = model._fields.get(node.get("name"))
                if field is None or field.type != "datetime":
                    continue
                if node.get("invisible") in ("1", "True") or node.get("column_invisible") in ("1", "True"):
                    continue
                options = _options(node)
                if options.get("show_seconds", True) is not False:
                    missing.append(f"{view.xml_id or view.name}: {model._name}.{field.name}")
        self.assertFalse(missing, "datetimes shown with seconds")

    def test_execution_bars_stay_drawn_past_one_hundred_percent(self):
        """Odoo draws a progress bar above its maximum in the grey overflow class, which reads as an
        empty bar: execution can pass 100 %, its bars say so in colour."""
        found = []
        for view in self._addon_views():
            for _model, node in self._fields(etree.fromstring(view.arch_db), self.env[view.model]):
                if node.get("widget") == "progressbar" and node.get("name") in ("execution_rate", "invoiced_rate"):
                    options = _options(node)
                    found.append((f"{view.xml_id}:{node.get('name')}", options.get("overflow_class")))
        self.assertGreaterEqual(len(found), 6, "plan list, kanban, form, lines and the customer's strategy tab")
        self.assertEqual([name for name, overflow in found if overflow in (None, "bg-secondary")], [])

    def test_supply_notice_columns_follow_the_workflow(self):
        Notice = self.env["crm.supply.notice"]
        products = self.env["product.product"].create({"name": "Caustic soda (column test)"})
        draft, published, expired = Notice.create([{
            "title": f"Column test {n}", "product_ids": [Command.link(products.id)], "message": "x",
        } for n in range(3)])
        # the states themselves, as the workflow leaves them
        (published | expired)._write_state("published")
        expired._write_state("expired")
        domain = [("id", "in", (draft | published | expired).ids)]
        groups = Notice.read_group(domain, ["state"], ["state"])
        self.assertEqual([group["state"] for group in groups], ["draft", "published", "closed", "expired"],
                         "workflow order, empty Closed kept as a column, Publishing only while used")
        self.assertEqual([group["state_count"] for group in groups], [1, 1, 0, 1])
        draft._write_state("publishing")
        groups = Notice.read_group(domain, ["state"], ["state"])
        self.assertEqual([group["state"] for group in groups],
                         ["draft", "publishing", "published", "closed", "expired"])
