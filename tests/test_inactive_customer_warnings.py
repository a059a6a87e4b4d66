"""A customer of the Inactive tier is on the Inactive list: the warnings meant for customers we work
with (key roles nobody holds, single-threaded, key roles not involved in a deal) are not shown, as
its order is no longer "overdue" (test_key_account.test_inactive_customer_is_not_also_overdue).
One rule decides: res.partner.key_account_inactive."""

import re

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_key_account import KeyAccountCommon


@tagged("post_install", "-at_install")
class TestInactiveCustomerWarnings(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchasing = cls.env.ref("crm_industrial.crm_buying_role_purchasing_manager")
        cls.alpha = cls.customers[0]
        # one person holds the only buying role: key roles missing, single-threaded
        cls.buyer = cls.env["res.partner"].create({
            "name": "Zhang Wei", "parent_id": cls.alpha.id, "buying_role_ids": [(6, 0, cls.purchasing.ids)]})
        for days_ago in (520, 490, 460, 430):
            cls._order(cls.alpha, days_ago)

    def _shown_banners(self, partner, container_xpath):
        """The titles of the alerts of the customer form's `container_xpath` that the web client
        shows for `partner`: each alert's `invisible` expression evaluated on the partner's values."""
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        container = etree.fromstring(arch).xpath(container_xpath)
        self.assertEqual(len(container), 1, container_xpath)
        shown = []
        for alert in container[0].xpath("./div[@role='alert']"):
            expression = alert.get("invisible") or "False"
            names = set(re.findall(r"[a-z_]+", expression)) & set(partner._fields)
            if not safe_eval(expression, {name: partner[name] for name in names}):
                shown.append(alert.findtext("strong"))
        return shown

    def _all_shown_banners(self, partner):
        return (self._shown_banners(partner, "//div[@name='crm_industrial_warnings']")
                + self._shown_banners(partner, "//page[@name='crm_industrial_buying_center']"))

    def _opportunity(self):
        return self.env["crm.lead"].create({
            "name": "Win back the coal contract", "type": "opportunity", "partner_id": self.alpha.id,
            "user_id": self.sales_user.id})

    def test_inactive_customer_shows_no_buying_center_warnings(self):
        self.Stat._recompute()
        alpha = self.alpha.with_user(self.sales_user)
        self.assertEqual(alpha.key_account_tier_id, self.inactive)
        self.assertTrue(alpha.key_account_inactive)
        # the facts stay what they are (the buying-center lists and filters show them)...
        self.assertTrue(alpha.missing_key_role_ids)
        self.assertTrue(alpha.single_threaded)
        # ...but the form does not shout them, nor the order overdue
        self.assertFalse(alpha.order_overdue)
        self.assertEqual(self._all_shown_banners(alpha), [])
        self.assertFalse(self._opportunity().missing_key_role_ids, "no warning on the deal either")

    def test_active_customer_keeps_its_warnings(self):
        self.env.company.key_account_inactive_days = 600  # not inactive that long: an active customer
        self.Stat._recompute()
        alpha = self.alpha.with_user(self.sales_user)
        self.assertNotEqual(alpha.key_account_tier_id, self.inactive)
        self.assertFalse(alpha.key_account_inactive)
        self.assertEqual(self._all_shown_banners(alpha), [
            "Key roles nobody holds:", "Single-threaded:", "Order overdue:",
            "Key roles nobody holds:", "Single-threaded:"])
        self.assertTrue(self._opportunity().missing_key_role_ids)

    def test_the_rule_follows_the_tier_of_the_current_company(self):
        """A tier is per company: the customer is inactive where its tier is the inactive one."""
        self.alpha.with_user(self.sales_manager).key_account_tier_id = self.inactive
        self.assertTrue(self.alpha.key_account_inactive)
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        self.assertFalse(self.alpha.with_company(other).key_account_inactive)
        self.alpha.with_user(self.sales_manager).key_account_tier_id = self.key
        self.assertFalse(self.alpha.key_account_inactive)
