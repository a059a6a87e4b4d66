"""The addon's printed documents carry the company header of Odoo's external layout (name, logo,
address), in English and in Chinese, whatever wkhtmltopdf the server has: builds without a patched
Qt (Debian's own package) do not print the layout's separate header, so the addon prints it at the
top of the document (models/ir_actions_report.py)."""

import subprocess
import tempfile
import unicodedata

from lxml import etree

from odoo.tests import tagged

from odoo.addons.crm_industrial.models.ir_actions_report import wkhtmltopdf_prints_headers

from .common import CrmIndustrialHttpCase

PLAN_REPORT = "crm_industrial.crm_account_plan_report_action"


@tagged("post_install", "-at_install")
class TestReportHeader(CrmIndustrialHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        cls.plan = cls.env.ref("crm_industrial.account_plan_power_plant_demo")
        cls.company = cls.plan.company_id
        # Chinese, to be read back from the PDF: pdftotext reads the CJK font's text, not the Latin
        # letters of the layout's font (see test_report_chinese.py)
        cls.company.write({"name": "晋阳煤业销售有限公司", "street": "太原市煤港路八十八号"})

    def _pdf_text(self, lang):
        report = self.env["ir.actions.report"].with_context(lang=lang, force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(PLAN_REPORT, self.plan.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "a real PDF from wkhtmltopdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
        # pdftotext gives some ideographs as their Kangxi radicals (八 as ⼋): compared once normalised
        return unicodedata.normalize("NFKC", text)

    def test_the_layout_is_the_company_external_layout(self):
        for lang, title in (("en_US", "Account Plan"), ("zh_CN", "客户计划")):
            html = self.env["ir.actions.report"].with_context(lang=lang)._render_qweb_html(
                PLAN_REPORT, self.plan.ids)[0].decode()
            root = etree.fromstring(html, etree.HTMLParser())
            header = root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' header ')]")
            self.assertEqual(len(header), 1, "the external layout's header")
            header_text = " ".join(header[0].itertext())
            self.assertIn(self.company.name, header_text)
            self.assertIn("太原市煤港路八十八号", header_text)
            self.assertIn(title, html)

    def test_the_pdf_prints_the_company_header(self):
        for lang in ("en_US", "zh_CN"):
            text = self._pdf_text(lang)
            self.assertIn(self.company.name, text, f"the company's name on the {lang} PDF")
            self.assertIn("太原市煤港路八十八号", text, f"the company's address on the {lang} PDF")
            # printed once: in the page's header, or at the top of the document when wkhtmltopdf
            # prints no separate header
            self.assertEqual(text.count("太原市煤港路八十八号"), 1)
        self.assertIn("客户计划", text, "the Chinese document")

    def test_other_reports_are_left_to_odoo(self):
        """Only the addon's documents change: Odoo's own reports print as Odoo makes them (the
        header apart, for wkhtmltopdf to print in the page's margin)."""
        html = self.env["ir.actions.report"]._render_qweb_html(PLAN_REPORT, self.plan.ids)[0]
        street = "太原市煤港路八十八号"
        bodies, _ids, header, _footer, _args = self.env.ref("account.account_invoices")._prepare_html(html)
        self.assertNotIn(street, "".join(bodies))
        self.assertIn(street, str(header))
        bodies, _ids, header, _footer, args = self.env.ref(PLAN_REPORT)._prepare_html(html)
        if wkhtmltopdf_prints_headers():
            self.assertNotIn(street, "".join(bodies))
            self.assertIn(street, str(header))
        else:
            self.assertIn(street, "".join(bodies), "printed at the top of the document")
            self.assertNotIn(street, str(header), "not twice")
            self.assertEqual(args["data-report-margin-top"], 12, "no empty band left for a header")
