import csv
import io
import os

import polib

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.translate import trans_export

from scripts.demo_texts import demo_texts

from .common import CrmIndustrialCommon

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N_DIR = os.path.join(REPO_DIR, "crm_industrial", "i18n")
DEMO_I18N_DIR = os.path.join(REPO_DIR, "crm_industrial", "demo", "i18n")


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
        same_in_chinese = {"ID", "SLA", "<span>%</span>", '<option value="">—</option>',
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


@tagged("post_install", "-at_install")
class TestDemoStoryInChinese(CrmIndustrialCommon):
    """`CRMI_LANG=zh_CN make run`: the demo story's own texts are Chinese too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)

    def _rows(self):
        with open(os.path.join(DEMO_I18N_DIR, "zh_CN.csv"), encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))

    def test_every_demo_text_has_a_translation(self):
        sources = {(xml_id, field, text) for xml_id, field, text in demo_texts()}
        translated = {(row["xml_id"], row["field"], row["source"]) for row in self._rows() if row["translation"]}
        self.assertFalse(sources - translated, "run `python3 scripts/demo_texts.py zh_CN` and translate")

    def test_demo_story_is_rewritten_in_chinese_but_not_what_users_changed(self):
        rows = [row for row in self._rows() if row["field"] == "function"]
        edited, *others = [self.env.ref(row["xml_id"]) for row in rows]
        edited.function = "Chief Buyer"
        self.assertGreater(self.env["crm.industrial.demo"]._localize_demo_texts("zh_CN"), len(others))
        self.assertEqual(edited.function, "Chief Buyer", "a text someone changed stays")
        for row, partner in zip(rows[1:], others, strict=True):
            self.assertEqual(partner.function, row["translation"])
            self.assertRegex(partner.function, "[\u4e00-\u9fff]")
        power_plant = self.env.ref("crm_industrial.partner_power_plant_demo")
        self.assertRegex(power_plant.name, "[\u4e00-\u9fff]")
        self.assertEqual(self.env["crm.industrial.demo"]._localize_demo_texts("fr_FR"), 0, "no file, no change")
