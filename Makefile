# The two commands of the README. Odoo 18 must be importable (or ODOO_PATH set).
.PHONY: run test test-odoo lint i18n
run:
	@bash scripts/run.sh
test:
	@bash scripts/test.sh $(PYTEST_ARGS)
# Odoo's own sale, CRM, contacts and account tests, without and with crm_industrial.
test-odoo:
	@bash scripts/test_odoo.sh
# OCA's code checks (pylint-odoo, oca-checks-odoo-module, oca-checks-po, ruff).
lint:
	@bash scripts/lint.sh
# Maintainers: regenerate the .pot and merge it into the .po files (DB=crm_industrial).
i18n:
	@bash scripts/i18n.sh $(DB)
