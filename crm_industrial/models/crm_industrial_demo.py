from odoo import api, models


class CrmIndustrialDemo(models.AbstractModel):
    """Builds the demo story's sales history (orders, invoices, payments).

    Called from demo/crm_industrial_demo.xml only, so it never runs without demo data.
    """

    _name = "crm.industrial.demo"
    _description = "Industrial CRM demo story"

    @api.model
    def _load_sales_history(self):
        pass
