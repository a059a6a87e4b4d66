from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .crm_customer_whitespace import WHITESPACE_HELP

MIN_YEAR, MAX_YEAR = 2000, 2100
PLAN_MANAGERS = "sales_team.group_sale_manager"
EXECUTION_HELP = (
    "Confirmed sales orders of the planned categories and periods (untaxed, in company currency) "
    "divided by the planned amount, in %.")
INVOICED_HELP = (
    "Posted invoices minus credit notes of the planned categories and periods (untaxed, in company "
    "currency) divided by the planned amount, in %.")


class CrmAccountPlan(models.Model):
    """A customer's annual account plan for one company: what the customer plans to buy (by product
    category and period), what we aim for, SWOT, the competitors present, and how the plan is being
    executed, computed from Odoo's orders and invoices (DOMAIN.md §2)."""

    _name = "crm.account.plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.industrial.value.guard"]
    _description = "Account Plan"
    _order = "year desc, partner_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('is_company', '=', True)]")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True,
                          aggregator=False)
    user_id = fields.Many2one(
        "res.users", "Plan Owner", default=lambda self: self.env.user, tracking=True,
        domain=[("share", "=", False)], help="Who prepares and follows the plan; only sales managers hand it over.")
    customer_strategy = fields.Text(
        "Customer's Strategy", help="The customer's own strategy and annual plan, as it told us.")
    our_strategy = fields.Text(help="How we mean to grow with this customer this year.")
    line_ids = fields.One2many("crm.account.plan.line", "plan_id", "Purchase Plan", copy=True)
    objective_ids = fields.One2many("crm.account.plan.objective", "plan_id", "Our Objectives", copy=True)
    swot_ids = fields.One2many("crm.account.plan.swot", "plan_id", "SWOT", copy=True)
    competitor_ids = fields.One2many("crm.account.plan.competitor", "plan_id", "Competitors", copy=True)
    planned_amount = fields.Monetary(
        compute="_compute_planned", store=True, help="The customer's planned purchases from us, in company currency.")
    actual_order_amount = fields.Monetary(
        "Ordered", compute="_compute_execution",
        help="Confirmed sales orders of the planned categories and periods, untaxed, in company currency.")
    actual_invoiced_amount = fields.Monetary(
        "Invoiced", compute="_compute_execution",
        help="Posted invoices minus credit notes of the planned categories and periods, untaxed, in company "
        "currency.")
    execution_rate = fields.Float("Execution (%)", compute="_compute_execution", help=EXECUTION_HELP)
    invoiced_rate = fields.Float("Invoiced (%)", compute="_compute_execution", help=INVOICED_HELP)
    objective_progress = fields.Float(
        "Objectives (%)", compute="_compute_objective_progress", help="Average progress of our objectives.")
    whitespace_ids = fields.Many2many(
        "crm.customer.whitespace", compute="_compute_whitespace_ids",
        groups="sales_team.group_sale_salesman", help=WHITESPACE_HELP)

    _sql_constraints = [
        ("partner_company_year_unique", "UNIQUE(partner_id, company_id, year)",
         "A customer has one account plan per company and year."),
    ]

    @api.depends("partner_id.name", "year")
    def _compute_name(self):
        for plan in self:
            plan.name = f"{plan.partner_id.name or ''} {plan.year or ''}".strip()

    @api.depends("partner_id", "company_id")
    def _compute_whitespace_ids(self):
        """The customer's whitespace in the plan's company, read in one search for all plans."""
        rows = self.env["crm.customer.whitespace"].search([
            ("partner_id", "in", self.partner_id.ids), ("company_id", "in", self.company_id.ids)])
        for plan in self:
            plan.whitespace_ids = rows.filtered(
                lambda row: row.partner_id == plan.partner_id and row.company_id == plan.company_id)  # noqa: B023

    @api.depends("line_ids.planned_amount")
    def _compute_planned(self):
        for plan in self:
            plan.planned_amount = sum(plan.line_ids.mapped("planned_amount"))

    @api.depends("line_ids", "partner_id", "company_id", "year")
    def _compute_execution(self):
        # the lines' figures are computed together, in one query for all plans
        lines = self.line_ids
        lines.mapped("actual_order_amount")
        for plan in self:
            ordered = sum(plan.line_ids.mapped("actual_order_amount"))
            invoiced = sum(plan.line_ids.mapped("actual_invoiced_amount"))
            plan.actual_order_amount, plan.actual_invoiced_amount = ordered, invoiced
            planned = plan.planned_amount
            plan.execution_rate = 100 * ordered / planned if planned > 0 else 0.0
            plan.invoiced_rate = 100 * invoiced / planned if planned > 0 else 0.0

    @api.depends("objective_ids.progress")
    def _compute_objective_progress(self):
        for plan in self:
            progress = plan.objective_ids.mapped("progress")
            plan.objective_progress = sum(progress) / len(progress) if progress else 0.0

    # ------------------------------------------------------------ constraints

    @api.constrains("partner_id", "company_id", "year")
    def _check_one_plan_per_year(self):
        for plan in self:
            if not MIN_YEAR <= plan.year <= MAX_YEAR:
                raise ValidationError(self.env._("The plan's year is between %(min)s and %(max)s.",
                                                 min=MIN_YEAR, max=MAX_YEAR))
            if plan.partner_id != plan.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "An account plan is for a customer company: choose %(company)s rather than its contact.",
                    company=plan.partner_id.commercial_partner_id.display_name))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        seen = set()
        for vals in vals_list:
            self._check_field_values(vals)  # the types first: the checks below compare the values
            vals.setdefault("company_id", self.env.company.id)
            vals.setdefault("year", fields.Date.context_today(self).year)
            key = (vals.get("partner_id"), vals.get("company_id"), vals.get("year"))
            if key in seen:
                self._raise_duplicate(*key)
            seen.add(key)
            self._check_plan_values(vals)
        plans = super().create(vals_list)
        plans._check_salesperson_scope()
        return plans

    def copy_data(self, default=None):
        """A copy is next year's plan, carrying the purchase plan, objectives, SWOT and competitors over."""
        default = dict(default or {})
        vals_list = super().copy_data(default)
        if "year" not in default:
            for plan, vals in zip(self, vals_list, strict=True):
                vals["year"] = plan.year + 1
        return vals_list

    def write(self, vals):
        if "user_id" in vals and not self._is_plan_manager():
            raise AccessError(self.env._("Only sales managers hand an account plan over to another owner."))
        if {"partner_id", "company_id", "year"} & set(vals):
            self._check_real_ids()
            for plan in self:
                self._check_plan_values({
                    "partner_id": vals.get("partner_id", plan.partner_id.id),
                    "company_id": vals.get("company_id", plan.company_id.id),
                    "year": vals.get("year", plan.year),
                }, plan)
        result = super().write(vals)
        if "partner_id" in vals:
            self._check_salesperson_scope()
        return result

    def _is_plan_manager(self):
        return self.env.su or self.env.user.has_group(PLAN_MANAGERS)

    @api.model
    def _check_plan_values(self, vals, plan=None):
        """Clear messages before the database refuses: a customer that is archived, or that already
        has a plan for this company and year."""
        partner_id, company_id, year = vals.get("partner_id"), vals.get("company_id"), vals.get("year")
        if not isinstance(partner_id, int) or not isinstance(company_id, int) or not isinstance(year, int) \
                or isinstance(year, bool):
            return  # the value guard and the required fields answer these
        # sudo: an archived customer or another salesperson's plan is refused by name, even unseen
        partner = self.env["res.partner"].sudo().with_context(active_test=False).browse(partner_id).exists()
        if partner and not partner.active:
            raise ValidationError(self.env._("%(customer)s is archived: no account plan for it.",
                                             customer=partner.display_name))
        domain = [("partner_id", "=", partner_id), ("company_id", "=", company_id), ("year", "=", year)]
        if plan:
            domain.append(("id", "!=", plan.id))
        # sudo: see above
        if self.sudo().search_count(domain, limit=1):
            self._raise_duplicate(partner_id, company_id, year)

    @api.model
    def _raise_duplicate(self, partner_id, company_id, year):
        # sudo: names of the customer and company in the message only
        partner = self.env["res.partner"].sudo().browse(partner_id if isinstance(partner_id, int) else [])
        raise ValidationError(self.env._(
            "%(customer)s already has an account plan for %(year)s in %(company)s.",
            customer=partner.display_name or "?", year=year,
            company=self.env["res.company"].sudo().browse(company_id if isinstance(company_id, int) else []).name))

    def _check_salesperson_scope(self):
        """Salespeople plan for their own customers (as salesperson or account owner) and own the plans
        they make; sales managers plan for every customer and hand plans over."""
        if self._is_plan_manager():
            return
        user = self.env.user
        for plan in self:
            if user not in (plan.partner_id.user_id | plan.partner_id.account_owner_id):
                raise AccessError(self.env._(
                    "%(customer)s is not one of your customers: ask a sales manager to plan it.",
                    customer=plan.partner_id.display_name))
            if plan.user_id and plan.user_id != user:
                raise AccessError(self.env._("Only sales managers hand an account plan over to another owner."))

    # --------------------------------------------------------------- actions

    def action_print(self):
        self._check_back_office_action()
        return self.env.ref("crm_industrial.crm_account_plan_report_action").report_action(self)
