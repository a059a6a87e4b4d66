import io
import os

import polib

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.translate import trans_export

from .common import CrmIndustrialCommon

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "crm_industrial", "i18n")


def entries(po):
    return {(entry.msgctxt, entry.msgid) for entry in po}


@tagged("post_install", "-at_install")
class TestTranslations(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)

    def test_pot_is_up_to_date(self):
        buffer = io.BytesIO()
        trans_export(None, ["crm_industrial"], buffer, "po", self.env.cr)
        exported = polib.pofile(buffer.getvalue().decode())
        shipped = polib.pofile(os.path.join(I18N_DIR, "crm_industrial.pot"))
        self.assertEqual(entries(shipped), entries(exported),
                         "crm_industrial.pot is stale: run `make i18n`")

    def test_zh_cn_translates_every_term(self):
        shipped = polib.pofile(os.path.join(I18N_DIR, "crm_industrial.pot"))
        zh_cn = polib.pofile(os.path.join(I18N_DIR, "zh_CN.po"))
        self.assertEqual(entries(zh_cn), entries(shipped))
        # OCA's po formatter empties a translation equal to its source (Odoo then shows the source).
        same_in_chinese = {"ID", "SLA", "<span>%</span>",
                           "'%s - %s' % (object.notice_id.name.replace('/', '-'), object.partner_id.name)"}
        self.assertFalse([entry.msgid for entry in zh_cn if not entry.msgstr.strip()
                          and entry.msgid not in same_in_chinese])

    def test_customer_file_speaks_chinese(self):
        Partner = self.env["res.partner"].with_context(lang="zh_CN")
        field = Partner.fields_get(["customer_type"])["customer_type"]
        self.assertEqual(field["string"], "客户类型")
        self.assertIn(("distributor", "经销商/贸易商"), field["selection"])
        arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("客户档案", arch)

    def test_errors_speak_chinese(self):
        customer = self.customer.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "不能为负数"):
            customer.customer_warehouse_capacity = -1

    def test_chatter_and_activities_speak_the_account_owners_language(self):
        self.sales_manager.lang = "zh_CN"
        self.customer.account_owner_id = self.sales_manager
        key, regular = (self.env.ref(f"crm_industrial.crm_key_account_tier_{name}") for name in ("key", "regular"))
        self.customer.key_account_tier_id = key
        self.customer.with_user(self.sales_manager).key_account_tier_id = regular
        note = self.customer.message_ids[:1]
        self.assertIn("大客户等级", note.body)
        self.assertIn("手动设置", note.body)
        drop = self.customer.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref("crm_industrial.mail_activity_type_tier_drop"))
        self.assertIn("降至", drop.note)
        self.sales_manager.lang = "en_US"
