"""Installing, upgrading and uninstalling crm_industrial in databases of its own.

These tests run odoo-bin in child processes, as an administrator would, on copies of
one database that holds crm_industrial's dependencies without demo data. The databases
are named after this run's database, and `make test` drops them at the end.
"""

import ast
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing

import psycopg2
import pytest

from odoo.tools import config

from scripts.verdict import log_problems

# The version this checkout ships (the upgrade must end there).
with open(os.path.join(os.path.dirname(__file__), "..", "crm_industrial", "__manifest__.py"), encoding="utf-8") as _f:
    ADDON_VERSION = ast.literal_eval(_f.read())["version"]

DEPENDENCIES = "contacts,crm,sale_management,account,mail"

# What a database holds of crm_industrial: must not move when nothing changed.
SNAPSHOT_QUERIES = {
    "xml ids": "SELECT model, name, noupdate FROM ir_model_data WHERE module = 'crm_industrial' "
               "ORDER BY model, name",
    "views": "SELECT v.name, v.arch_db::text FROM ir_ui_view v JOIN ir_model_data d "
             "ON d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = 'crm_industrial' ORDER BY v.name",
    "fields": "SELECT f.model, f.name, f.ttype FROM ir_model_fields f JOIN ir_model_data d "
              "ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = 'crm_industrial' "
              "ORDER BY f.model, f.name",
    "customer files": "SELECT id, customer_type, customer_since, account_owner_id, customer_history "
                      "FROM res_partner ORDER BY id",
}

# The fields crm_industrial adds to res.partner (checked after uninstalling).
PARTNER_FIELDS = [
    "customer_type", "customer_employee_count", "customer_revenue_band", "customer_history",
    "customer_organisation", "customer_business_goals", "customer_sales_force",
    "customer_distribution_capacity", "customer_distribution_uom_id", "customer_warehouse_capacity",
    "customer_warehouse_uom_id", "account_owner_id", "customer_since",
    "buying_role_ids", "decision_power", "approval_limit", "attitude", "relationship_strength",
    "reports_to_id", "report_ids", "preferred_channel", "birthdate_date", "hobbies",
    "personality_notes", "birthday_reminded_date", "last_contact_date", "is_going_cold",
    "going_cold_contact_ids", "going_cold_summary",
    "buying_center_ids", "buying_center_coverage", "missing_key_role_ids", "buying_center_weak",
    "single_threaded", "key_account_tier_id", "tier_locked", "tier_lock_reason", "key_account_inactive",
    "tier_history_ids",
    "revenue_12m", "revenue_prev_12m", "revenue_growth", "gross_margin_12m", "gross_margin_rate", "revenue_share",
    "cumulative_share", "order_count_12m", "purchase_cycle_days", "last_order_date",
    "next_order_expected", "order_overdue", "late_payment_share", "development_index", "benefit_index",
    "complaint_representative_id", "complaint_ids", "complaint_count",
    "supply_notice_recipient_ids", "active_supply_notice_ids",
    "receivable_open", "receivable_overdue", "receivable_aging_not_due", "receivable_aging_1_30",
    "receivable_aging_31_60", "receivable_aging_61_90", "receivable_aging_over_90", "receivable_disputed",
    "overdue_max_days", "draft_invoice_amount", "order_to_invoice_amount", "dso_days", "avg_payment_delay_days",
    "payment_delay_recent_days", "payment_delay_previous_days", "payment_delay_trend", "credit_exposure",
    "credit_usage", "silent_dissatisfaction", "silent_dissatisfaction_reason",
    "credit_rating", "credit_review_date", "credit_review_due", "credit_rating_ids", "financial_snapshot_ids",
    "credit_hold_ids", "credit_terms_proposal", "credit_rating_count", "financial_snapshot_count",
    "credit_hold_count", "tier_history_count",
    "customer_insight_ids", "customer_insight_count", "account_plan_ids", "account_plan_count",
    "current_account_plan_id", "strategy_swot_ids", "strategy_competitor_ids", "strategy_swot_html",
    "strategy_competitor_html", "financial_difficulty_guidance",
    "spec_compliance_required", "has_quality_spec", "customer_spec_ids", "whitespace_ids",
    "last_visit_date", "next_visit_due", "visit_overdue", "executive_visit_due",
]

LEFTOVER_QUERIES = {
    "xml ids": "SELECT count(*) FROM ir_model_data WHERE module = 'crm_industrial'",
    "models": "SELECT count(*) FROM ir_model WHERE model LIKE 'crm.industrial%%' "
              "OR model LIKE 'crm.key.account%%' OR model LIKE 'crm.complaint%%' OR model LIKE 'crm.supply.notice%%' "
              "OR model LIKE 'crm.customer.credit%%' OR model LIKE 'crm.credit.%%' "
              "OR model = 'crm.customer.financial.snapshot' OR model = 'crm.buying.role'",
    "tables": "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'crm\\_key\\_account%%' "
              "OR table_name LIKE 'crm\\_complaint%%' OR table_name LIKE 'crm\\_supply%%' "
               "OR table_name LIKE 'crm\\_customer\\_credit%%' OR table_name LIKE 'crm\\_credit\\_%%' "
               "OR table_name = 'crm_customer_financial_snapshot' OR table_name = 'crm_buying_role'",
    "fields": "SELECT count(*) FROM ir_model_fields WHERE model = 'res.partner' "
              "AND name = ANY(%(fields)s)",
    "columns": "SELECT count(*) FROM information_schema.columns WHERE table_name = 'res_partner' "
               "AND column_name = ANY(%(fields)s)",
    "views": "SELECT count(*) FROM ir_ui_view WHERE name LIKE '%%crm_industrial%%'",
    "menus": "SELECT count(*) FROM ir_ui_menu m JOIN ir_model_data d ON d.model = 'ir.ui.menu' "
             "AND d.res_id = m.id WHERE d.module = 'crm_industrial'",
    "indexes on Odoo's tables": "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'crm\\_industrial\\_%%'",
}

EXISTING_BUSINESS_SCRIPT = """
from odoo import Command
customer = env['res.partner'].create({'name': 'Old Customer Steelworks', 'is_company': True})
buyer = env['res.partner'].create({'name': 'Li Na', 'parent_id': customer.id})
product = env['product.product'].create({'name': 'Coking Coal', 'list_price': 200.0})
order = env['sale.order'].create({'partner_id': buyer.id, 'order_line': [
    Command.create({'product_id': product.id, 'product_uom_qty': 50})]})
order.action_confirm()
order.date_order = '2024-02-01 08:00:00'
if env['account.journal'].search([('type', '=', 'sale')], limit=1):
    order._create_invoices().action_post()
env.cr.commit()
"""


def connect(dbname):
    conn = psycopg2.connect(dbname=dbname, host=config["db_host"], port=config["db_port"] or 5432,
                            user=config["db_user"], password=config["db_password"])
    conn.autocommit = True
    return conn


def query(dbname, sql, params=None):
    with closing(connect(dbname)) as conn, conn.cursor() as cr:
        cr.execute(sql, params or {})
        return cr.fetchall()


def filestore(dbname):
    return os.path.join(config["data_dir"], "filestore", dbname)


def copy_database(template, name):
    drop_database(name)
    with closing(connect("postgres")) as conn, conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if os.path.isdir(filestore(template)):
        shutil.copytree(filestore(template), filestore(name))


def drop_database(name):
    with closing(connect("postgres")) as conn, conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(filestore(name), ignore_errors=True)


def odoo(dbname, *args, shell_script=None):
    """Run odoo-bin (or its shell with a script) on a database; fail on a non-zero exit
    or an ERROR in its log."""
    subcommand = ["shell", "--no-http"] if shell_script else []
    with tempfile.TemporaryDirectory() as tmp:
        logfile = os.path.join(tmp, "odoo.log")
        command = [sys.executable, "-m", "odoo", *subcommand, "-c", config.rcfile, "-d", dbname,
                   f"--db-filter=^{dbname}$", "--logfile", logfile, "--log-level=warn", *args]
        result = subprocess.run(command, input=shell_script, capture_output=True, text=True,
                                timeout=600, check=False)
        problems = log_problems([logfile])
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}"
    assert not problems, "\n".join(problems)


def snapshot(dbname):
    return {name: query(dbname, sql) for name, sql in SNAPSHOT_QUERIES.items()}


@pytest.fixture(scope="module")
def dependencies_db():
    """A database with crm_industrial's dependencies and no demo data, made once."""
    name = f"{config['db_name']}_deps"
    odoo(name, "-i", DEPENDENCIES, "--without-demo=all", "--stop-after-init")
    yield name
    drop_database(name)


@pytest.fixture
def database(dependencies_db, request):
    name = f"{config['db_name']}_{request.node.name[5:30]}"
    copy_database(dependencies_db, name)
    yield name
    drop_database(name)


def test_install_without_demo_upgrade_twice_then_uninstall(database):
    odoo(database, "-i", "crm_industrial", "--stop-after-init")
    assert query(database, "SELECT count(*) FROM ir_model_data WHERE module = 'crm_industrial' "
                           "AND name LIKE '%%\\_demo' AND model NOT LIKE 'ir.%%'") == [(0,)], \
        "no demo record without demo data"
    installed = snapshot(database)
    partner_fields = {name for model, name, _type in installed["fields"] if model == "res.partner"}
    assert partner_fields == set(PARTNER_FIELDS), "PARTNER_FIELDS lists what the addon adds"
    odoo(database, "-u", "crm_industrial", "--stop-after-init")
    upgraded_once = snapshot(database)
    odoo(database, "-u", "crm_industrial", "--stop-after-init")
    assert snapshot(database) == upgraded_once == installed

    uninstall = ("env['ir.module.module'].search([('name', '=', 'crm_industrial')])"
                 ".button_immediate_uninstall()\nenv.cr.commit()\n")
    odoo(database, shell_script=uninstall)
    assert query(database, "SELECT state FROM ir_module_module WHERE name = 'crm_industrial'") \
        == [("uninstalled",)]
    params = {"fields": PARTNER_FIELDS}
    leftovers = {name: query(database, sql, params)[0][0] for name, sql in LEFTOVER_QUERIES.items()}
    assert leftovers == dict.fromkeys(LEFTOVER_QUERIES, 0)


def test_install_on_existing_customers_orders_and_invoices(database):
    odoo(database, shell_script=EXISTING_BUSINESS_SCRIPT)
    odoo(database, "-i", "crm_industrial", "--stop-after-init")
    rows = query(database, "SELECT customer_since::text, account_move_count FROM ("
                           "  SELECT p.customer_since, (SELECT count(*) FROM account_move m WHERE "
                           "  m.commercial_partner_id = p.id AND m.state = 'posted') AS account_move_count"
                           "  FROM res_partner p WHERE p.name = 'Old Customer Steelworks') AS customer")
    assert rows == [("2024-02-01", 1)], "the first confirmed order dates the existing customer"
    assert query(database, "SELECT count(*) FROM crm_key_account_stat stat JOIN res_partner partner "
                           "ON partner.id = stat.partner_id WHERE partner.name = 'Old Customer Steelworks' "
                           "AND stat.applied_tier_id IS NOT NULL") == [(1,)], "classified on install"


def test_installs_with_oca_partner_contact_birthdate(database):
    """Both modules define res.partner.birthdate_date: one birthday, not two."""
    odoo(database, "-i", "crm_industrial,partner_contact_birthdate", "--stop-after-init")
    assert query(database, "SELECT name, state FROM ir_module_module WHERE name IN "
                           "('crm_industrial', 'partner_contact_birthdate') ORDER BY name") == [
        ("crm_industrial", "installed"), ("partner_contact_birthdate", "installed")]
    fields = query(database, "SELECT id FROM ir_model_fields WHERE model = 'res.partner' "
                             "AND name = 'birthdate_date'")
    assert len(fields) == 1
    owners = query(database, "SELECT module FROM ir_model_data WHERE model = 'ir.model.fields' "
                             "AND res_id = %(field)s ORDER BY module", {"field": fields[0][0]})
    assert owners == [("crm_industrial",), ("partner_contact_birthdate",)]
    odoo(database, shell_script=(
        "contact = env['res.partner'].create({'name': 'Zhang Wei', 'birthdate_date': '1975-07-20'})\n"
        "assert contact.age > 50, contact.age\n"
        "contact.buying_role_ids = env.ref('crm_industrial.crm_buying_role_purchasing_manager')\n"
        "env.cr.commit()\n"))
    assert query(database, "SELECT birthdate_date::text FROM res_partner WHERE name = 'Zhang Wei'") \
        == [("1975-07-20",)]


# The project's shared folder sits beside the repository (as in CI).
FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "shared", "fixtures", "crm_industrial-18.0.1.4.0-demo.dump")

# What users of the released version have: none of it may be lost by the upgrade.
RELEASED_DATA_QUERIES = {
    "customer files": "SELECT id, customer_type, customer_since::text, account_owner_id FROM res_partner "
                      "WHERE customer_type IS NOT NULL ORDER BY id",
    "buying roles": "SELECT partner_id, role_id FROM res_partner_crm_buying_role_rel ORDER BY 1, 2",
    "tiers": "SELECT id, name FROM crm_key_account_tier ORDER BY id",
    "tier history": "SELECT partner_id, old_tier_id, new_tier_id, automatic FROM crm_key_account_tier_history "
                    "ORDER BY id",
    "figures": "SELECT partner_id, company_id, revenue_12m FROM crm_key_account_stat ORDER BY 1, 2",
    "complaints": "SELECT id, name, partner_id, stage_id, description, root_cause_analysis, resolution, "
                  "date_received FROM crm_complaint ORDER BY id",
    "notices": "SELECT id, name, state FROM crm_supply_notice ORDER BY id",
    "recipients": "SELECT id, notice_id, partner_id, acknowledged FROM crm_supply_notice_recipient ORDER BY id",
}


def test_database_of_the_released_version_upgrades_with_nothing_lost():
    """A database made with 18.0.1.4.0 (../shared/fixtures) upgrades to this version."""
    assert os.path.exists(FIXTURE), f"the released version's database is expected at {FIXTURE}"
    name = f"{config['db_name']}_released"
    drop_database(name)
    with closing(connect("postgres")) as conn, conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", "-h", config["db_host"], "-p", str(config["db_port"] or 5432),
                        "-U", config["db_user"], "-d", name, FIXTURE],
                       env={**os.environ, "PGPASSWORD": config["db_password"]}, check=True,
                       capture_output=True, timeout=300)
        assert query(name, "SELECT latest_version FROM ir_module_module WHERE name = 'crm_industrial'") \
            == [("18.0.1.4.0",)]
        before = {key: query(name, sql) for key, sql in RELEASED_DATA_QUERIES.items()}
        odoo(name, "-u", "crm_industrial", "--stop-after-init")
        assert query(name, "SELECT latest_version FROM ir_module_module WHERE name = 'crm_industrial'") \
            == [(ADDON_VERSION,)]
        after = {key: query(name, sql) for key, sql in RELEASED_DATA_QUERIES.items()}
        for key, rows in before.items():
            assert rows, f"the released database has {key}"
            assert after[key] == rows, f"{key} survive the upgrade"
        # The released version's NOT NULL on a core table is gone: Odoo's own code may write companies.
        assert query(name, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'res_company' "
                           "AND column_name = 'key_account_rule'") == [("YES",)]
    finally:
        drop_database(name)
