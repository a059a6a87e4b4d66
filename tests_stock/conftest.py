"""Import Odoo's test framework in test mode, as odoo-bin does.

Its first import outside test mode logs an ERROR, which the runner rightly treats
as a failure; pytest-odoo imports it before switching test mode on. Importing it
here first, with test mode on just for the import, keeps the log clean without
turning test mode on for the registry load (which would run every at_install test).
"""

from odoo.tools import config

_test_enable = config["test_enable"]
config["test_enable"] = True
try:
    import odoo.tests  # noqa: F401
finally:
    config["test_enable"] = _test_enable
