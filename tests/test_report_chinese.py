"""Printed documents in Chinese: real Chinese glyphs, not empty boxes.

wkhtmltopdf draws every character it has no font for as an empty box; the PDF then embeds
no CJK font. The commands install Debian's fonts-noto-cjk; this renders the complaint
report, the notice letter and the account plan in zh_CN through the running server and checks
the font.
"""

import re
import subprocess
import tempfile

from odoo.tests import tagged

from .common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestChineseReports(CrmIndustrialHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)

    def _pdf_fonts_and_text(self, report_xmlid, record):
        report = self.env["ir.actions.report"].with_context(lang="zh_CN", force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(report_xmlid, record.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "a real PDF from wkhtmltopdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            fonts = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True).stdout
            text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
        return fonts, text

    def test_complaint_report_in_chinese(self):
        complaint = self.env.ref("crm_industrial.complaint_fertiliser_acid_strength_demo")
        fonts, text = self._pdf_fonts_and_text("crm_industrial.crm_complaint_report_action", complaint)
        self.assertIn("CJK", fonts, "a CJK font draws the Chinese text")
        self.assertRegex(text, "[\u4e00-\u9fff]{2,}", "Chinese words in the document")
        # pdftotext reads no Latin digits from this font: the times are checked in the HTML
        html = self.env["ir.actions.report"].with_context(lang="zh_CN")._render_qweb_html(
            "crm_industrial.crm_complaint_report_action", complaint.ids)[0].decode()
        self.assertRegex(html, r"\d{2}时\d{2}分", "the deadlines show their time, in the Chinese format")
        self.assertNotIn("秒", html, "without seconds")
        self.assertFalse(re.search(r"\d{1,2}:\d{2}:\d{2}", html))

    def test_notice_letter_in_chinese(self):
        notice = self.env.ref("crm_industrial.supply_notice_caustic_soda_shortage_demo")
        fonts, text = self._pdf_fonts_and_text("crm_industrial.crm_supply_notice_report_action",
                                               notice.recipient_ids[:1])
        self.assertIn("CJK", fonts)
        self.assertRegex(text, "[\u4e00-\u9fff]{2,}")
        recipient = notice.recipient_ids[:1]
        html = self.env["ir.actions.report"].with_context(lang="zh_CN")._render_qweb_html(
            "crm_industrial.crm_supply_notice_report_action", recipient.ids)[0].decode()
        name = recipient.contact_id.name or recipient.partner_id.name
        self.assertRegex(html, r"尊敬的\s*<span[^>]*>%s</span>：" % re.escape(name),
                         "the greeting in Chinese word order, with Chinese punctuation")
        self.assertRegex(html, r"生效日期：\s*<span[^>]*>[^<]+</span>\s*至\s*<span[^>]*>[^<]+</span>。",
                         "the period in effect as one Chinese sentence")
        self.assertNotIn("Dear", html)
        products = notice.with_context(lang="zh_CN").product_ids.mapped("display_name")
        self.assertEqual(len(products), 2)
        self.assertIn("%s和%s" % tuple(products), html, "the products as a Chinese list, not joined by ', '")
        english = self.env["ir.actions.report"].with_context(lang="en_US")._render_qweb_html(
            "crm_industrial.crm_supply_notice_report_action", recipient.ids)[0].decode()
        self.assertIn("%s and %s" % tuple(notice.with_context(lang="en_US").product_ids.mapped("display_name")),
                      english)

    def test_account_plan_in_chinese(self):
        plan = self.env.ref("crm_industrial.account_plan_power_plant_demo")
        fonts, text = self._pdf_fonts_and_text("crm_industrial.crm_account_plan_report_action", plan)
        self.assertIn("CJK", fonts, "a CJK font draws the Chinese text")
        self.assertRegex(text, "[\u4e00-\u9fff]{2,}", "Chinese words in the document")
        self.assertIn("客户计划", text, "the account plan's title, in Chinese")
        self.assertIn("采购计划", text, "the purchase plan and its execution")
