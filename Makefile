# The two commands of the README. Odoo 18 must be importable (or ODOO_PATH set).
.PHONY: run test
run:
	@bash scripts/run.sh
test:
	@bash scripts/test.sh $(PYTEST_ARGS)
