"""crm_industrial beside Odoo's own apps: what they do must not change because it is installed."""

from odoo.tests import new_test_user, tagged

from .common import CrmIndustrialCommon

# The apps whose menus the addon extends. Sales: stock Odoo opens the quotations.
APPS = ["sale.sale_menu_root", "crm.crm_menu_root", "contacts.menu_contacts", "account.menu_finance"]


@tagged("post_install", "-at_install")
class TestCoexistence(CrmIndustrialCommon):
    def _landing_actions(self, user):
        """The action the web client opens for each app, as `user` sees the menus."""
        menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
        return {xmlid: menus[self.env.ref(xmlid).id]["actionID"] for xmlid in APPS}

    def test_opening_each_app_lands_where_stock_odoo_lands(self):
        salesperson = new_test_user(
            self.env, login="crmi_coexist_sales", groups="sales_team.group_sale_salesman,account.group_account_invoice")
        with_addon = self._landing_actions(salesperson)
        self.assertEqual(with_addon["sale.sale_menu_root"], self.env.ref("sale.action_quotations_with_onboarding").id)
        self.assertTrue(all(with_addon.values()), with_addon)
        # The same answers as with the addon's menus gone.
        addon_menus = self.env["ir.model.data"].search([
            ("module", "=", "crm_industrial"), ("model", "=", "ir.ui.menu")])
        self.env["ir.ui.menu"].browse(addon_menus.mapped("res_id")).active = False
        self.assertEqual(self._landing_actions(salesperson), with_addon)

    def test_salesperson_duplicates_a_contact_with_personal_data(self):
        self.customer_contact.sudo().write({
            "birthdate_date": "1980-05-04", "hobbies": "Go", "personality_notes": "Careful"})
        for record in (self.customer, self.customer_contact):
            copy = record.with_user(self.sales_user).copy()
            self.assertTrue(copy.exists())
        self.assertFalse(copy.sudo().birthdate_date, "personal data is not copied")
        self.assertFalse(copy.sudo().hobbies)
        personal = new_test_user(self.env, login="crmi_coexist_personal",
                                 groups="sales_team.group_sale_salesman,crm_industrial.group_buying_center_personal")
        self.assertFalse(self.customer_contact.with_user(personal).copy().birthdate_date)

    def test_core_tables_accept_rows_from_code_that_does_not_know_the_addon(self):
        """Odoo's own modules (their tests, upgrade steps) write these tables while the
        registry knows only them: the addon's columns there must be nullable."""
        self.env.cr.execute("""
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_name IN ('res_company', 'res_partner', 'sale_order', 'sale_order_line',
                                  'account_move', 'crm_lead', 'res_users', 'product_template')
               AND is_nullable = 'NO'""")
        not_null = set(self.env.cr.fetchall())
        fields = self.env["ir.model.fields"].search([
            ("model", "in", ["res.company", "res.partner", "sale.order", "sale.order.line",
                             "account.move", "crm.lead", "res.users", "product.template"]),
            ("store", "=", True)])
        ours = {(self.env[field.model]._table, field.name) for field in fields
                if "crm_industrial" in field.modules.split(", ")
                and field.modules.split(", ") == ["crm_industrial"]}
        self.assertFalse(ours & not_null)

    def test_company_without_key_account_settings_is_classified_with_the_defaults(self):
        company = self.env["res.company"].create({"name": "Sister Plant"})
        self.env.cr.execute(
            "UPDATE res_company SET key_account_rule = NULL, key_account_inactive_days = NULL WHERE id = %s",
            [company.id])
        company.invalidate_recordset()
        self.assertFalse(company.key_account_rule)
        self.assertEqual(company._key_account_rule(), "pareto")
        self.assertEqual(company._key_account_inactive_days(), 365)
        # The classification of that company runs on the defaults.
        self.env["crm.key.account.stat"].with_company(company)._recompute(self.customer)
