from odoo import api, fields, models
from odoo.exceptions import ValidationError

CUSTOMER_TYPES = [
    ("end_user", "End-user manufacturer"),
    ("distributor", "Distributor / trader"),
    ("individual", "Individual"),
]

# Annual revenue bands, in the selling company's currency.
REVENUE_BANDS = [
    ("under_10m", "Under 10 million"),
    ("10m_100m", "10 to 100 million"),
    ("100m_1b", "100 million to 1 billion"),
    ("over_1b", "Over 1 billion"),
]


# The largest headcount and capacity a customer file accepts (the biggest employers have
# about 2 million people; capacities are per month in the unit chosen).
MAX_HEADCOUNT = 10_000_000
MAX_CAPACITY = 1e12


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.industrial.value.guard", "crm.industrial.x2many.batch"]

    # Customer file: internal knowledge about a company customer, never shown to portal users.
    customer_type = fields.Selection(
        CUSTOMER_TYPES, groups="base.group_user", tracking=True,
        help="End-user manufacturers consume what they buy; distributors and traders resell it.")
    customer_employee_count = fields.Integer("Employees", groups="base.group_user")
    customer_revenue_band = fields.Selection(
        REVENUE_BANDS, "Annual Revenue", groups="base.group_user",
        help="The customer's own annual revenue, in your company's currency.")
    customer_history = fields.Text("Company History", groups="base.group_user")
    customer_organisation = fields.Text(
        "Organisation", groups="base.group_user",
        help="Structure of the customer's company: plants, departments, who reports to whom.")
    customer_business_goals = fields.Text("Business Goals and Direction", groups="base.group_user")
    customer_sales_force = fields.Integer(
        "Sales Force", groups="base.group_user", help="Number of people selling for the customer.")
    customer_distribution_capacity = fields.Float(
        "Distribution Capacity", groups="base.group_user",
        help="What the customer can deliver to its own customers per month.")
    customer_distribution_uom_id = fields.Many2one(
        "uom.uom", "Distribution Capacity Unit", groups="base.group_user",
        default=lambda self: self.env.ref("uom.product_uom_ton", raise_if_not_found=False))
    customer_warehouse_capacity = fields.Float("Warehouse Capacity", groups="base.group_user")
    customer_warehouse_uom_id = fields.Many2one(
        "uom.uom", "Warehouse Capacity Unit", groups="base.group_user",
        default=lambda self: self.env.ref("uom.product_uom_ton", raise_if_not_found=False))
    account_owner_id = fields.Many2one(
        "res.users", groups="base.group_user", tracking=True,
        compute="_compute_account_owner_id", store=True, readonly=False, index="btree_not_null",
        domain=[("share", "=", False)],
        help="The key-account manager responsible for this customer; defaults to the salesperson.")
    customer_since = fields.Date(
        groups="base.group_user", copy=False,
        help="Set from the first confirmed sales order when left empty.")

    def _form_action(self):
        """Open this customer's form (rows of the customer figures, lists of customers)."""
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.constrains("customer_employee_count", "customer_sales_force",
                    "customer_distribution_capacity", "customer_warehouse_capacity")
    def _check_customer_file_quantities(self):
        for partner in self:
            if min(partner.customer_employee_count, partner.customer_sales_force,
                   partner.customer_distribution_capacity, partner.customer_warehouse_capacity) < 0:
                raise ValidationError(self.env._(
                    "%(customer)s: employees, sales force and capacities cannot be negative.",
                    customer=partner.display_name))
            if max(partner.customer_employee_count, partner.customer_sales_force) > MAX_HEADCOUNT:
                raise ValidationError(self.env._(
                    "%(customer)s: employees and sales force are at most %(max)s.",
                    customer=partner.display_name, max=MAX_HEADCOUNT))
            if max(partner.customer_distribution_capacity, partner.customer_warehouse_capacity) > MAX_CAPACITY:
                raise ValidationError(self.env._(
                    "%(customer)s: a capacity is at most %(max)s.", customer=partner.display_name,
                    max=MAX_CAPACITY))

    @api.constrains("customer_since")
    def _check_customer_since(self):
        today = fields.Date.context_today(self)
        for partner in self.filtered("customer_since"):
            if partner.customer_since > today:
                raise ValidationError(self.env._(
                    "%(customer)s: 'Customer Since' cannot be in the future.",
                    customer=partner.display_name))

    @api.depends("user_id")
    def _compute_account_owner_id(self):
        for partner in self:
            if not partner.account_owner_id:
                partner.account_owner_id = partner.user_id

    def _fill_customer_since(self):
        """Set 'customer since' on these companies from their first confirmed order, when empty."""
        companies = self.commercial_partner_id.filtered(lambda p: not p.customer_since)
        if not companies:
            return
        # sudo: the first confirmed order of the company, whichever salesperson owns it; only its date
        # is kept, on a field every internal user of the customer sees
        first_orders = self.env["sale.order"].sudo()._read_group(
            [("state", "=", "sale"), ("partner_id", "child_of", companies.ids)],
            groupby=["partner_id"], aggregates=["date_order:min"])
        first_by_company = {}
        for partner, first_date in first_orders:
            company = partner.commercial_partner_id
            if company not in first_by_company or first_date < first_by_company[company]:
                first_by_company[company] = first_date
        for company, first_date in first_by_company.items():
            # the day of the first order where the user is (date_order is stored in UTC)
            company.customer_since = fields.Date.context_today(self, first_date)
