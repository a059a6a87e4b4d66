# The two commands of the README. Odoo 18 must be importable (or ODOO_PATH set).
.PHONY: run test i18n
run:
	@bash scripts/run.sh
test:
	@bash scripts/test.sh $(PYTEST_ARGS)
# Maintainers: regenerate the .pot and merge it into the .po files (DB=crm_industrial).
i18n:
	@bash scripts/i18n.sh $(DB)
