from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_VISIT_DAYS = 730  # two years: a rarer visit is no plan
SEVERITIES = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("critical", "Critical"),
]


class CrmKeyAccountTier(models.Model):
    """A level of the customer pyramid, with the service the customers in it get."""

    _name = "crm.key.account.tier"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Key-Account Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Tiers are ranked by sequence: the first is the highest.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", help="Leave empty to share the tier between companies.")
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id",
        default=lambda self: self.env.company.currency_id)
    is_key_account = fields.Boolean(
        "Key Account", help="Customers of this tier are key accounts: e.g. their account owner is "
        "reminded when they do not acknowledge a supply notice.")
    is_inactive = fields.Boolean(
        "Inactive Customers",
        help="The tier of customers with neither a posted invoice nor a confirmed order in the "
        "inactivity period of their company.")
    pareto_limit = fields.Float(
        "Up to Cumulative Share (%)",
        help="Pareto rule: customers ranked by 12-month revenue, largest first, whose ranking "
        "starts below this share of the total revenue fall in this tier (the first matching tier wins).")
    min_revenue = fields.Monetary(
        "Minimum 12-Month Revenue",
        help="Threshold rule: customers with at least this revenue over the last 12 months "
        "fall in this tier (the first matching tier wins).")
    service_level_ids = fields.One2many(
        "crm.key.account.tier.service.level", "tier_id", "Complaint Service Levels", copy=True)
    visit_frequency_days = fields.Integer(
        "Visit Every (days)",
        help="How often the account owner visits customers of this tier, from 1 to 730 days. 0: no plan.")
    payment_term_id = fields.Many2one(
        "account.payment.term", "Suggested Payment Term",
        help="Proposed on customers of this tier who have no payment term yet.")
    credit_limit = fields.Monetary("Suggested Credit Limit")
    customer_count = fields.Integer("Customers", compute="_compute_customer_count")
    revenue_12m = fields.Monetary(
        "Revenue (12 months)", compute="_compute_customer_count",
        help="Revenue over the last 12 months of the customers in this tier, in the current company.")

    pyramid_width = fields.Integer(
        compute="_compute_pyramid_width",
        help="Width of the tier's band in the customer pyramid, in % of the page: the highest tier is "
        "the narrowest, the lowest (inactive) the widest.")

    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = tier.company_id.currency_id or self.env.company.currency_id

    def _compute_customer_count(self):
        figures = {tier: (count, revenue) for tier, count, revenue in self.env["crm.key.account.stat"]._read_group(
            [("applied_tier_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            groupby=["applied_tier_id"], aggregates=["__count", "revenue_12m:sum"])}
        for tier in self:
            tier.customer_count, tier.revenue_12m = figures.get(tier, (0, 0.0))

    def _compute_pyramid_width(self):
        tiers = self.search([("company_id", "in", [self.env.company.id, False])])
        ranks = {tier: rank for rank, tier in enumerate(tiers.sorted(lambda t: (t.is_inactive, t.sequence, t.id)))}
        steps = max(len(ranks) - 1, 1)
        for tier in self:
            rank = ranks.get(tier, steps)
            tier.pyramid_width = round(30 + 70 * rank / steps)

    @api.constrains("pareto_limit", "min_revenue", "visit_frequency_days", "credit_limit")
    def _check_tier_figures(self):
        for tier in self:
            if not 0 <= tier.pareto_limit <= 100:
                raise ValidationError(self.env._(
                    "%(tier)s: the cumulative share is a percentage from 0 to 100.", tier=tier.name))
            if min(tier.min_revenue, tier.credit_limit) < 0:
                raise ValidationError(self.env._(
                    "%(tier)s: the minimum revenue and the credit limit cannot be negative.", tier=tier.name))
            if not 0 <= tier.visit_frequency_days <= MAX_VISIT_DAYS:
                raise ValidationError(self.env._(
                    "%(tier)s: visit every 0 (no plan) to %(max)s days.", tier=tier.name, max=MAX_VISIT_DAYS))

    @api.constrains("is_inactive", "active", "company_id")
    def _check_one_inactive_tier(self):
        for tier in self.filtered(lambda tier: tier.is_inactive and tier.active):
            others = self.search_count([
                ("is_inactive", "=", True), ("id", "!=", tier.id), ("company_id", "in", [tier.company_id.id, False])])
            if others:
                raise ValidationError(self.env._("Only one tier can hold the inactive customers."))

    def _get_sla_hours(self, severity):
        """(response hours, resolution hours) this tier promises for a complaint severity."""
        self.ensure_one()
        level = self.service_level_ids.filtered(lambda level: level.severity == severity)[:1]
        return level.response_hours, level.resolution_hours

    def action_open_customers(self):
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "crm.key.account.stat",
            "view_mode": "list,pivot,graph",
            "domain": [("applied_tier_id", "=", self.id), ("company_id", "=", self.env.company.id)],
        }
