"""crm_industrial_stock speaks Chinese: its .pot matches the code and zh_CN translates every term
(a refused delivery in Chinese: test_lot_spec.py::test_refused_delivery_in_chinese)."""

import io
import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "crm_industrial_stock", "i18n")


def entries(po):
    return {(entry.msgctxt, entry.msgid) for entry in po}


@tagged("post_install", "-at_install")
class TestStockTranslations(TransactionCase):
    def test_pot_is_up_to_date(self):
        buffer = io.BytesIO()
        trans_export(None, ["crm_industrial_stock"], buffer, "po", self.env.cr)
        exported = polib.pofile(buffer.getvalue().decode())
        shipped = polib.pofile(os.path.join(I18N_DIR, "crm_industrial_stock.pot"))
        self.assertEqual(entries(shipped), entries(exported), "crm_industrial_stock.pot is stale")

    def test_zh_cn_translates_every_term(self):
        shipped = polib.pofile(os.path.join(I18N_DIR, "crm_industrial_stock.pot"))
        chinese = polib.pofile(os.path.join(I18N_DIR, "zh_CN.po"))
        self.assertEqual(entries(chinese), entries(shipped))
        # OCA's po formatter empties a translation equal to its source (Odoo then shows the source)
        self.assertFalse([entry.msgid for entry in chinese if not entry.msgstr and entry.msgid != "ID"])
