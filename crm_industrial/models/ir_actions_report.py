import functools
import subprocess

import lxml.html

from odoo import models
from odoo.tools import format_list

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

ADDON_REPORTS = "crm_industrial."
# Top margin (mm) of the pages when the header is printed in the page itself: the paper format's
# margin keeps room for a header wkhtmltopdf does not print.
INLINE_HEADER_MARGIN_TOP = 12
_CLASS_XPATH = "contains(concat(' ', normalize-space(@class), ' '), ' %s ')"


@functools.cache
def wkhtmltopdf_prints_headers():
    """Whether the wkhtmltopdf binary prints the company header of Odoo's external layout.

    Odoo gives wkhtmltopdf the header as a separate page (--header-html), which only builds with
    a patched Qt print ("wkhtmltopdf 0.12.6 (with patched qt)"); Debian's and Ubuntu's own package
    ignores it, and every PDF then comes without the company's name, logo and address.
    """
    try:
        version = subprocess.run([_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True,
                                 timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no wkhtmltopdf: Odoo prints no PDF at all, nothing to change
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """The addon's documents get `format_list(items)`: a list of names as a sentence of the
        reader's language ("A, B and C"; "A、B和C"), where a joined ", " is English punctuation."""
        values = super()._get_rendering_context(report, docids, data)
        if (report.report_name or "").startswith(ADDON_REPORTS):
            env = self.env
            values["format_list"] = lambda items: format_list(env, [str(item) for item in items])
        return values

    def _prepare_html(self, html, report_model=False):
        """The addon's documents (complaint report, notice letter, account plan) use the company's
        external layout like Odoo's own; where wkhtmltopdf cannot print the layout's header apart,
        the header is printed at the top of each document's first page instead of being lost."""
        if not (self.report_name or "").startswith(ADDON_REPORTS) or wkhtmltopdf_prints_headers():
            return super()._prepare_html(html, report_model=report_model)
        html, moved = self._inline_layout_headers(html)
        result = super()._prepare_html(html, report_model=report_model)
        if moved and result:
            bodies, res_ids, header, footer, paperformat_args = result
            paperformat_args.setdefault("data-report-margin-top", INLINE_HEADER_MARGIN_TOP)
            result = bodies, res_ids, header, footer, paperformat_args
        return result

    def _inline_layout_headers(self, html):
        """`html` with each layout header moved into the document (article) that follows it, as
        its first element, no longer marked as a header; and whether any was moved."""
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        moved = False
        for header in root.xpath(f"//div[{_CLASS_XPATH % 'header'}]"):
            article = header.xpath(f"following-sibling::div[{_CLASS_XPATH % 'article'}][1]")
            if not article:
                continue
            classes = ["o_crm_industrial_header" if name == "header" else name for name in header.get("class").split()]
            header.set("class", " ".join(classes))
            article[0].insert(0, header)
            moved = True
        if not moved:
            return html, False
        return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"), True
