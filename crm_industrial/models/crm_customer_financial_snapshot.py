from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Sane ranges of what an accountant types from a customer's statements: a value outside is
# a typing error (a ratio entered as a percentage, days as a date), not a real company.
SNAPSHOT_BOUNDS = {
    "current_ratio": (0.0, 100.0),
    "net_profit_margin": (-1000.0, 100.0),
    "return_on_assets": (-1000.0, 1000.0),
    "inventory_days": (0.0, 3650.0),
    "collection_period_days": (0.0, 3650.0),
}
SNAPSHOT_SOURCES = [
    ("audited", "Audited statements"),
    ("management", "Management accounts"),
    ("agency", "Credit agency report"),
    ("tax", "Tax filing"),
    ("other", "Other"),
]


class CrmCustomerFinancialSnapshot(models.Model):
    """A customer's financial health at a date, from its statements (DOMAIN.md §6)."""

    _name = "crm.customer.financial.snapshot"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Customer Financial-Health Snapshot"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", check_company=True,
        domain="[('parent_id', '=', False)]")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date = fields.Date("Statement Date", required=True, default=fields.Date.context_today,
                       help="The date the figures describe; not in the future.")
    current_ratio = fields.Float("Current-Asset Ratio", digits=(16, 2),
                                 help="Current assets / current liabilities, 0 to 100.")
    net_profit_margin = fields.Float("Net Profit Margin (%)", digits=(16, 2),
                                     help="Net profit / revenue, in %, -1000 to 100.")
    return_on_assets = fields.Float("Return on Assets (%)", digits=(16, 2),
                                    help="Net profit / total assets, in %, -1000 to 1000.")
    inventory_days = fields.Float(digits=(16, 1),
                                  help="Days of stock: inventory / cost of sales x 365, 0 to 3650.")
    collection_period_days = fields.Float("Collection Period (days)", digits=(16, 1),
                                          help="How long the customer takes to collect its own "
                                          "receivables, 0 to 3650 days.")
    source = fields.Selection(SNAPSHOT_SOURCES, required=True, default="management")
    source_note = fields.Char("Source Details", help="Which document, report or agency.")
    author_id = fields.Many2one("res.users", "Entered By", readonly=True, default=lambda self: self.env.user)

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(snapshot.date > today for snapshot in self):
            raise ValidationError(self.env._("A financial snapshot cannot be dated in the future."))

    @api.constrains(*SNAPSHOT_BOUNDS)
    def _check_bounds(self):
        for snapshot in self:
            for name, (low, high) in SNAPSHOT_BOUNDS.items():
                if not low <= snapshot[name] <= high:
                    raise ValidationError(self.env._(
                        "%(field)s must be between %(low)s and %(high)s.",
                        field=self._fields[name].get_description(self.env)["string"], low=low, high=high))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_field_values(vals)  # before reading the customer a client sent
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["partner_id"] = partner.commercial_partner_id.id or vals.get("partner_id")
            vals["author_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        # Who entered the figures stays who entered them.
        vals.pop("author_id", None)
        return super().write(vals)
