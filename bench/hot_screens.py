"""Hot screens: the queries each screen users open all day costs, crm_industrial against stock Odoo.

For every hot screen the script replays what the web client sends, on two databases with demo
data: one with crm_industrial, one with only the Odoo modules crm_industrial depends on (its
manifest's `depends`), on the same kind of record (Deco Addict, `base.res_partner_2`, in both;
the addon's demo power plant on the addon database alone):
  - customer form: `web_read` with the form view's full specification, built from `get_views`
    the way the web client builds it (every tab, x2many subfields, many2one display names);
  - customer list: `web_search_read` of Odoo's own demo partners (the same rows on both, at
    most 80: a page) with the list view's specification;
  - quotation form: `web_read` of a 3-line quotation with the order form's specification (the
    banners are fields of it), and the `onchange` of a new quotation line;
  - confirming that quotation: `action_confirm` (two twin quotations are confirmed first, to
    warm the caches);
  - notice and complaint lists and kanbans (crm_industrial only): `web_search_read` (kanbans:
    `web_read_group` by their default column, then one `web_search_read` per column), measured
    on one record and on all of them, to show the count does not grow with the rows.
Each call runs twice to warm Odoo's caches, then again on an emptied record cache: the third
run's SQL queries are counted, with the flush of its writes and the precommit hooks (what a
request's commit runs). Runs as the administrator and as the demo salesperson
(`base.user_demo`). Nothing is committed.
"""

import argparse
import ast
import json
import subprocess
import sys

from bench_tools import odoo_env
from lxml import etree

from odoo import Command

STOCK_PARTNER = "base.res_partner_2"
KEY_CUSTOMER = "crm_industrial.partner_power_plant_demo"
PRODUCTS = ("product.product_product_4", "product.product_product_5", "product.product_product_6")
USERS = (("admin", "base.user_admin"), ("salesperson", "base.user_demo"))
# many2many widgets that read their own related fields rather than an embedded subview
TAG_WIDGETS = {"many2many_tags", "many2many_tags_avatar", "many2many_avatar_user",
               "many2many_avatar_employee", "many2many_checkboxes", "many2many_binary"}


def _own_fields(node):
    """The <field> nodes of `node` that are not inside another field's subview."""
    depth = int(node.xpath("count(ancestor-or-self::field)"))
    return node.xpath(f".//field[count(ancestor::field) = {depth}]")


def _subview(field_node):
    modes = (field_node.get("mode") or "list").split(",")
    children = {child.tag: child for child in field_node if child.tag in ("list", "kanban")}
    for mode in modes:
        if mode in children:
            return children[mode]
    return None


def fields_spec(node, model, models):
    """The web client's specification (web/static/src/model/relational_model/utils.js
    getFieldsSpec) for the fields of a view node of `model`."""
    infos = models[model]["fields"] if model in models else {}
    spec = {}
    for field in _own_fields(node):
        name = field.get("name")
        info = infos.get(name)
        if not info:
            continue
        invisible = field.get("invisible") in ("1", "True")
        entry = spec.setdefault(name, {})
        kind = info["type"]
        if kind in ("many2one", "reference"):
            entry.setdefault("fields", {})
            if not invisible:
                entry["fields"]["display_name"] = {}
                entry["context"] = {}
        elif kind in ("one2many", "many2many") and not invisible:
            widget = field.get("widget")
            sub = _subview(field)
            if widget in TAG_WIDGETS or sub is None:
                related = {"display_name": {}}
                options = ast.literal_eval(field.get("options") or "{}") if field.get("options") else {}
                if isinstance(options, dict) and options.get("color_field"):
                    related[options["color_field"]] = {}
                entry.setdefault("fields", {}).update(related)
            else:
                entry.setdefault("fields", {}).update(fields_spec(sub, info["relation"], models))
                entry["limit"] = int(sub.get("limit") or 40)
                if sub.get("default_order"):
                    entry["order"] = sub.get("default_order")
            entry["context"] = {}
    return spec


def view_spec(model, view_type, view_ref=False):
    views = model.get_views([(view_ref, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    spec = fields_spec(arch, model._name, views["models"])
    spec.setdefault("display_name", {})
    return spec, arch


def count(env, call):
    """SQL queries of `call(env)` on warm caches (as on a server that has served the screen
    before): two runs to warm Odoo's caches (the first can fill them through other paths than the
    next ones), then one counted on an emptied record cache."""
    for _warm in range(2):
        call(env)
        # what the commit at the end of a request does, without committing: flush, precommit hooks
        env.cr.flush()
        env.invalidate_all()
    before = env.cr.sql_log_count
    call(env)
    # the writes a request makes and the precommit hooks (mail tracking, figures refreshed) run
    # before its commit: counted
    env.cr.flush()
    return env.cr.sql_log_count - before


def _client_env(env, xmlid):
    user = env.ref(xmlid)
    return env(user=user.id, su=False, context={
        "lang": "en_US", "tz": "Europe/Brussels", "uid": user.id,
        "allowed_company_ids": [user.company_id.id], "bin_size": True})


def _quotation(env, partner):
    products = [env.ref(xmlid) for xmlid in PRODUCTS]
    return env["sale.order"].create({
        "partner_id": partner.id,
        "user_id": env.uid,
        "order_line": [Command.create({"product_id": p.id, "product_uom_qty": 2}) for p in products],
    })


def form_read(records):
    def call(env):
        spec, _arch = view_spec(env[records._name], "form")
        env[records._name].browse(records.ids).web_read(spec)
    return call


def list_read(model_name, domain=(), limit=80):
    def call(env):
        spec, _arch = view_spec(env[model_name], "list")
        env[model_name].web_search_read(list(domain), spec, limit=limit, count_limit=10001)
    return call


def kanban_read(model_name, domain=(), limit=40):
    def call(env):
        model = env[model_name]
        spec, arch = view_spec(model, "kanban")
        group_by = arch.get("default_group_by")
        groups = model.web_read_group(list(domain), [], [group_by], lazy=True)["groups"]
        for group in groups:
            model.web_search_read(list(domain) + group["__domain"], spec, limit=limit, count_limit=10001)
    return call


def line_onchange(partner, product):
    def call(env):
        spec, _arch = view_spec(env["sale.order"], "form")
        values = {"partner_id": partner.id, "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": 1})]}
        env["sale.order"].onchange(values, ["order_line"], spec)
    return call


def confirm(orders):
    """Confirms the first order, then the next one on the following call."""
    pending = list(orders)

    def call(env):
        env["sale.order"].browse(pending.pop(0).id).action_confirm()
    return call


def measure_database(conf, db, addon):
    rows = {}
    with odoo_env(conf, db) as root:
        if not addon:
            # the same rights as on the addon's database, where the administrator is a credit
            # controller (full accounting): the form then shows the same accounting fields
            root.ref("base.user_admin").groups_id += root.ref("account.group_account_user")
            # the same settings: crm_industrial's demo data turns Odoo's credit limits on
            # (crm_industrial_demo.py), whose own warning on a quotation reads the customer's
            # receivables and orders to invoice; the stock database pays for it as well
            root.company.account_use_credit_limit = True
        for user_label, user_xmlid in USERS:
            env = _client_env(root, user_xmlid)
            partners = [("Deco Addict", root.ref(STOCK_PARTNER))]
            if addon:
                partners.append(("key customer", root.ref(KEY_CUSTOMER)))
            for label, partner in partners:
                rows[(user_label, f"customer form ({label})")] = count(env, form_read(partner))
            # the same 80 rows on both databases: Odoo's own demo partners
            same_rows = root["ir.model.data"].search_fetch(
                [("model", "=", "res.partner"), ("module", "=", "base")], ["res_id"], order="res_id", limit=80)
            rows[(user_label, f"customer list ({len(same_rows)} rows)")] = count(
                env, list_read("res.partner", [("id", "in", same_rows.mapped("res_id"))]))
            # the quotations belong to the user who opens them (a salesperson sees their own)
            quotations = [_quotation(root(user=env.uid), root.ref(STOCK_PARTNER)) for _i in range(4)]
            # made in an earlier request: committed (here, its precommit hooks run) before they are opened
            root.cr.flush()
            rows[(user_label, "quotation form (3 lines)")] = count(env, form_read(quotations[0]))
            rows[(user_label, "new quotation line (onchange)")] = count(
                env, line_onchange(root.ref(STOCK_PARTNER), root.ref(PRODUCTS[0])))
            rows[(user_label, "confirm the quotation")] = count(env, confirm(quotations[1:]))
            if addon:
                for model_name, title in (("crm.supply.notice", "notice"), ("crm.complaint", "complaint")):
                    every = env[model_name].search([])
                    for scope, domain in (("1 row", [("id", "in", every[:1].ids)]),
                                          (f"{len(every)} rows", [("id", "in", every.ids)])):
                        rows[(user_label, f"{title} list ({scope})")] = count(
                            env, list_read(model_name, domain))
                    # a kanban reads each column apart: the same columns with one card, then all
                    _spec, arch = view_spec(env[model_name], "kanban")
                    columns = {}
                    for record in every:
                        columns.setdefault(record[arch.get("default_group_by")], record)
                    for scope, records in ((f"{len(columns)} columns, 1 card each", list(columns.values())),
                                           (f"{len(columns)} columns, {len(every)} cards", every)):
                        rows[(user_label, f"{title} kanban ({scope})")] = count(
                            env, kanban_read(model_name, [("id", "in", [record.id for record in records])]))
        root.cr.rollback()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True, help="database with crm_industrial and demo data")
    parser.add_argument("--stock-db", required=True, help="database with the same Odoo modules, without crm_industrial")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one database per process (Odoo's config)
    parser.add_argument("--addon", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        rows = measure_database(args.conf, args.measure, addon=args.addon)
        print(json.dumps([[user, screen, queries] for (user, screen), queries in rows.items()]))
        return
    stock, addon = ({(user, screen): queries for user, screen, queries in json.loads(subprocess.run(
        [sys.executable, __file__, "--conf", args.conf, "--db", args.db, "--stock-db", args.stock_db,
         "--measure", db, *(["--addon"] if with_addon else [])],
        check=True, capture_output=True, text=True).stdout.splitlines()[-1])}
        for db, with_addon in ((args.stock_db, False), (args.db, True)))
    print("| user | screen | stock | crm_industrial | difference |\n| --- | --- | --- | --- | --- |")
    for (user, screen), queries in addon.items():
        stock_key = (user, screen.replace("(key customer)", "(Deco Addict)"))
        base = stock.get(stock_key)
        if base is None:
            print(f"| {user} | {screen} | — | {queries} | — |")
        else:
            print(f"| {user} | {screen} | {base} | {queries} | {queries - base:+d} |")


if __name__ == "__main__":
    main()
