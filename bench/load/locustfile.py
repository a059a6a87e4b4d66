"""Sales and quality users on two Odoo servers (issue 15's load test), through the web client's own
JSON-RPC calls: customers, lists and quotations for the sales users; complaints for the quality users.

Run by bench/load_test.sh, which prepares the database and the users and starts the two servers.
Each simulated user logs in once and stays on one server (as a browser stays on one node behind a
load balancer with sticky sessions); users alternate between the servers.
"""

import itertools
import json
import os
import random
import xml.etree.ElementTree as ET

from locust import HttpUser, between, events, task

SERVERS = os.environ["CRMI_LOAD_SERVERS"].split(",")
DB = os.environ["CRMI_LOAD_DB"]
SAMPLE = json.loads(open(os.environ["CRMI_LOAD_SAMPLE"], encoding="utf-8").read())
PASSWORD = SAMPLE["password"]
_server_cycle = itertools.cycle(SERVERS)
_sales_logins = itertools.cycle(SAMPLE["sales_logins"])
_quality_logins = itertools.cycle(SAMPLE["quality_logins"])
_views = {}


def _spec_of(node, model_fields):
    """The web client's `specification` for the fields of one view level (x2many subviews included)."""
    spec = {}
    for field in _top_fields(node):
        name = field.get("name")
        info = model_fields.get(name, {})
        ftype = info.get("type")
        if ftype in ("one2many", "many2many"):
            sub = next((child for child in field if child.tag in ("list", "tree", "kanban")), None)
            sub_fields = _views.get(("fields", info.get("relation")), {})
            spec[name] = {"fields": _spec_of(sub, sub_fields) if sub is not None else {"display_name": {}},
                          "limit": 40}
        elif ftype == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def _top_fields(node):
    """The <field> elements of this level, not those of x2many subviews inside them."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from _top_fields(child)


@events.quitting.add_listener
def _on_quit(environment, **_kwargs):
    failed = environment.stats.total.num_failures or environment.runner.exceptions
    environment.process_exit_code = 1 if failed else 0


class OdooUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    logins = None

    def on_start(self):
        self.client.base_url = next(_server_cycle)
        self.login = next(self.logins)
        response = self.client.post("/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": DB, "login": self.login, "password": PASSWORD}}, name="login")
        result = response.json()
        if "error" in result:
            raise RuntimeError(f"login {self.login}: {result['error']}")
        self.uid = result["result"]["uid"]
        self.user_context = result["result"]["user_context"]

    def call(self, model, method, args=(), kwargs=None, name=None):
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9), "params": {
            "model": model, "method": method, "args": list(args),
            "kwargs": {"context": self.user_context, **(kwargs or {})}}}
        with self.client.post(f"/web/dataset/call_kw/{model}/{method}", json=payload, name=name or f"{model}.{method}",
                              catch_response=True) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code}: not JSON")
                return None
            if "error" in body:
                error = body["error"].get("data", {})
                response.failure(f"{error.get('name')}: {error.get('message')}"[:300])
                return None
            return body["result"]

    def spec(self, model, view_type):
        """Built once per process from get_views, as the web client does on its first visit."""
        key = (model, view_type)
        if key not in _views:
            result = self.call(model, "get_views", [[[False, view_type]]], {"options": {}},
                               name=f"{model}.get_views")
            for name, info in result["models"].items():
                _views[("fields", name)] = info["fields"]
            arch = ET.fromstring(result["views"][view_type]["arch"])
            _views[key] = _spec_of(arch, result["models"][model]["fields"])
        return _views[key]


class SalesUser(OdooUser):
    weight = 14
    logins = _sales_logins

    @task(4)
    def open_customer(self):
        self.call("res.partner", "web_read", [[random.choice(SAMPLE["customer_ids"])]],
                  {"specification": self.spec("res.partner", "form")}, name="customer form")

    @task(3)
    def customer_list(self):
        self.call("res.partner", "web_search_read", [], {
            "domain": [["is_company", "=", True]], "specification": self.spec("res.partner", "list"),
            "offset": random.randint(0, 200) * 80, "limit": 80, "order": ""}, name="customer list")

    @task(3)
    def open_quotation(self):
        self.call("sale.order", "web_read", [[random.choice(SAMPLE["order_ids"])]],
                  {"specification": self.spec("sale.order", "form")}, name="quotation form")

    @task(2)
    def quotation_list(self):
        self.call("sale.order", "web_search_read", [], {
            "domain": [], "specification": self.spec("sale.order", "list"), "limit": 80, "order": ""},
            name="quotation list")

    @task(1)
    def quote_and_confirm(self):
        lines = [[0, 0, {"product_id": product_id, "product_uom_qty": random.randint(1, 20)}]
                 for product_id in random.sample(SAMPLE["product_ids"], 3)]
        order_id = self.call("sale.order", "create", [{"partner_id": random.choice(SAMPLE["customer_ids"]),
                                                       "order_line": lines}], name="quotation create")
        if order_id:
            self.call("sale.order", "action_confirm", [[order_id]], name="quotation confirm")


class QualityUser(OdooUser):
    weight = 6
    logins = _quality_logins

    @task(4)
    def complaint_kanban(self):
        self.call("crm.complaint", "web_search_read", [], {
            "domain": [["is_closed", "=", False]], "specification": self.spec("crm.complaint", "kanban"),
            "limit": 40, "order": ""}, name="complaint kanban")

    @task(3)
    def open_complaint(self):
        self.call("crm.complaint", "web_read", [[random.choice(SAMPLE["complaint_ids"])]],
                  {"specification": self.spec("crm.complaint", "form")}, name="complaint form")

    @task(2)
    def file_complaint(self):
        self.call("crm.complaint", "create", [{
            "partner_id": random.choice(SAMPLE["customer_ids"]), "subject": "Load test: wet coal",
            "description": "<p>Moisture above the contract.</p>"}], name="complaint create")

    @task(2)
    def move_complaint(self):
        self.call("crm.complaint", "write", [[random.choice(SAMPLE["complaint_ids"])],
                                             {"stage_id": random.choice(SAMPLE["open_stage_ids"])}],
                  name="complaint move")

    @task(2)
    def notice_list(self):
        self.call("crm.supply.notice", "web_search_read", [], {
            "domain": [], "specification": self.spec("crm.supply.notice", "list"), "limit": 80, "order": ""},
            name="notice list")
