"""Deliberately red tests, run only by tests/test_runner.py to prove the runner turns red.

Their file name does not match pytest.ini's python_files, so `make test` never collects them.
"""

from odoo.tests import TransactionCase, tagged

from ..common import CrmIndustrialHttpCase


@tagged("post_install", "-at_install")
class TestRedAssertion(TransactionCase):
    def test_red_assertion(self):
        self.assertEqual(1 + 1, 3, "this test fails on purpose")


@tagged("post_install", "-at_install")
class TestRedTour(CrmIndustrialHttpCase):
    def test_red_tour(self):
        # The tour looks for a customer that does not exist here: its step times out.
        self.start_tour("/odoo/contacts", "crm_industrial_customer_file_tour", login="admin")
