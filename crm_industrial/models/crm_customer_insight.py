from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

INSIGHT_TYPES = [
    ("product_range", "Product Range Change"),
    ("channel", "Channel Change"),
    ("personnel", "Personnel Change"),
    ("downstream_demand", "Downstream Demand"),
    ("inventory_level", "Inventory Level"),
    ("capital_turnover", "Capital Turnover"),
    ("competitor_move", "Competitor Move"),
    ("profit_target", "Profit Target"),
    ("financial_difficulty", "Financial Difficulty"),
    ("seasonal_contract", "Seasonal Contract Change"),
    ("other", "Other"),
]
IMPACTS = [
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
]
# A financial-difficulty insight guides the account owner for a year after its date.
DIFFICULTY_DAYS = 365


class CrmCustomerInsight(models.Model):
    """A dated piece of intelligence on a customer's business (DOMAIN.md §2: demand and strategic
    dynamics), kept over time as the customer's timeline."""

    _name = "crm.customer.insight"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.industrial.value.guard"]
    _description = "Customer Insight"
    _order = "date desc, id desc"
    _rec_name = "summary"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('is_company', '=', True)]",
        help="The customer company (the commercial entity) the insight is about.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True,
                       help="When the change happened or was learnt.")
    insight_type = fields.Selection(INSIGHT_TYPES, "Type", required=True, default="other", tracking=True)
    contact_id = fields.Many2one(
        "res.partner", "Source Contact", check_company=True,
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="Who told us: one of the customer's people (its buying center).")
    summary = fields.Text(required=True, tracking=True)
    impact = fields.Selection(IMPACTS, "Expected Impact", required=True, default="neutral", tracking=True,
                              help="The expected effect on our sales to this customer.")
    impact_amount = fields.Monetary(
        "Estimated Amount", currency_field="currency_id", tracking=True,
        help="The estimated effect on our sales, in the company's currency (0 or more; the direction is "
        "the expected impact).")
    user_id = fields.Many2one("res.users", "Recorded By", default=lambda self: self.env.user,
                              domain=[("share", "=", False)], readonly=True)
    follow_up_date = fields.Date(
        "Follow Up On", help="Set a date to give the account owner a to-do about this insight on that day.")
    follow_up_note = fields.Char("Follow-up")
    difficulty_notified = fields.Boolean(
        readonly=True, copy=False,
        help="The account owner got the financial-difficulty guidance activity for this insight.")

    # ------------------------------------------------------------ constraints

    @api.constrains("partner_id", "contact_id")
    def _check_customer_and_contact(self):
        for insight in self:
            if insight.partner_id != insight.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "An insight is about a customer company: choose %(company)s rather than its contact "
                    "%(contact)s.", company=insight.partner_id.commercial_partner_id.display_name,
                    contact=insight.partner_id.display_name))
            contact = insight.contact_id
            if contact and contact.commercial_partner_id != insight.partner_id:
                raise ValidationError(self.env._(
                    "The source contact %(contact)s does not belong to %(customer)s.",
                    contact=contact.display_name, customer=insight.partner_id.display_name))

    @api.constrains("impact_amount")
    def _check_impact_amount(self):
        for insight in self:
            if insight.impact_amount < 0:
                raise ValidationError(self.env._(
                    "The estimated amount cannot be negative; the expected impact tells whether it is a "
                    "gain or a loss."))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # set by the addon only: who recorded the insight and whether its guidance was sent
            for vals in vals_list:
                vals.pop("difficulty_notified", None)
                vals.pop("user_id", None)
        insights = super().create(vals_list)
        insights._schedule_follow_up()
        insights._notify_financial_difficulty()
        return insights

    def write(self, vals):
        if not self.env.su:
            vals.pop("difficulty_notified", None)
            vals.pop("user_id", None)
        result = super().write(vals)
        if "follow_up_date" in vals:
            self._schedule_follow_up()
        if {"insight_type", "date", "partner_id"} & set(vals):
            self._notify_financial_difficulty()
        return result

    # -------------------------------------------------------------- business

    def _schedule_follow_up(self):
        """One to-do on the insight for the account owner on its follow-up date (moved, never doubled)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for insight in self.filtered("follow_up_date"):
            owner = insight.partner_id._account_owner() or self.env.user
            open_todo = insight.activity_ids.filtered(lambda act: act.activity_type_id == todo)
            if open_todo:
                open_todo.date_deadline = insight.follow_up_date
                continue
            insight.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=insight.follow_up_date, user_id=owner.id,
                summary=insight.follow_up_note or insight.env._("Follow up on this insight"))

    @api.model
    def _difficulty_domain(self, partners=None, company=None):
        """Recent financial-difficulty insights (of a company, optionally of some customers)."""
        today = fields.Date.context_today(self)
        domain = [("insight_type", "=", "financial_difficulty"),
                  ("date", ">", today - timedelta(days=DIFFICULTY_DAYS)), ("date", "<=", today)]
        if company:
            domain.append(("company_id", "=", company.id))
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        return domain

    def _notify_financial_difficulty(self):
        """A recent financial-difficulty insight of a customer whose volume falls gives the account
        owner one activity with the tier's guidance: once per insight, never a price change."""
        # sudo: the flag and the activity follow from the insight and the company's figures, whoever
        # recorded it; the activity goes to the account owner
        insights = self.sudo().filtered_domain(self._difficulty_domain() + [("difficulty_notified", "=", False)])
        for company in insights.company_id:
            of_company = insights.filtered(lambda insight: insight.company_id == company)  # noqa: B023
            partners = of_company.partner_id.with_company(company)
            declining = partners._financial_difficulty_declining()
            for insight in of_company.filtered(lambda insight: insight.partner_id in declining):  # noqa: B023
                partner = insight.partner_id.with_company(company)
                partner._schedule_account_activity(
                    "crm_industrial.mail_activity_type_financial_difficulty",
                    partner.with_env(partner._owner_env())._financial_difficulty_guidance())
                insight.difficulty_notified = True
