from odoo import api, fields, models

# Who reads customers' strategy (plans, insights): salespeople, accountants and quality staff.
STRATEGY_READERS = ("sales_team.group_sale_salesman,account.group_account_user,account.group_account_readonly,"
                    "crm_industrial.group_complaint_user")


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The strategic half of the customer record: dated insights, annual account plans, and the
    guidance when a customer in financial difficulty buys less (DOMAIN.md §2, §3)."""

    _inherit = "res.partner"

    customer_insight_ids = fields.One2many(
        "crm.customer.insight", "partner_id", "Insights", groups=STRATEGY_READERS,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    # the counts: with the customer's other records in one query (res_partner_record_counts.py)
    customer_insight_count = fields.Integer("Insight Count", compute="_compute_record_counts",
                                            groups=STRATEGY_READERS)
    account_plan_ids = fields.One2many(
        "crm.account.plan", "partner_id", "Account Plans", groups=STRATEGY_READERS,
        domain=lambda self: [("company_id", "=", self.env.company.id)])
    account_plan_count = fields.Integer(compute="_compute_record_counts", groups=STRATEGY_READERS)
    current_account_plan_id = fields.Many2one(
        "crm.account.plan", compute="_compute_record_counts", groups=STRATEGY_READERS,
        help="This year's account plan of the customer, in the current company.")
    strategy_swot_ids = fields.One2many(
        "crm.account.plan.swot", compute="_compute_strategy_lines", string="SWOT", groups=STRATEGY_READERS)
    strategy_competitor_ids = fields.One2many(
        "crm.account.plan.competitor", compute="_compute_strategy_lines", string="Competitors Present",
        groups=STRATEGY_READERS)
    financial_difficulty_guidance = fields.Text(
        compute="_compute_financial_difficulty_guidance", groups=STRATEGY_READERS,
        help="Shown when a financial-difficulty insight was recorded in the last 12 months and the customer's "
        "volume falls (the Declining list): what to do, by tier. Never a price change by itself.")

    @api.depends_context("company")
    def _compute_strategy_lines(self):
        for partner in self:
            plan = partner.current_account_plan_id
            partner.strategy_swot_ids = plan.swot_ids
            partner.strategy_competitor_ids = plan.competitor_ids

    @api.depends_context("company")
    def _compute_financial_difficulty_guidance(self):
        self.financial_difficulty_guidance = False
        companies = self.filtered("is_company")._origin
        if not companies:
            return
        Insight = self.env["crm.customer.insight"]
        # sudo: whether a difficulty was recorded, for customers the user reads; not its content
        in_difficulty = Insight.sudo().search(Insight._difficulty_domain(companies, self.env.company)).partner_id
        guidance = {partner.id: partner._financial_difficulty_guidance()
                    for partner in in_difficulty._financial_difficulty_declining()}
        for partner in self:
            partner.financial_difficulty_guidance = guidance.get(partner._origin.id, False)

    def _financial_difficulty_declining(self):
        """These customers whose volume falls in the current company: the Declining working list of the
        key-account figures (revenue down 10% or more over 12 months, or the next order overdue)."""
        if not self:
            return self
        # sudo: the figures table is derived data; only which customers are in the list is used
        stats = self.env["crm.key.account.stat"].sudo().search([
            ("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id), ("is_declining", "=", True)])
        return self.filtered(lambda partner: partner in stats.partner_id)

    def _financial_difficulty_guidance(self):
        """What the account owner should weigh (DOMAIN.md §3), by the customer's tier, in the env's language."""
        self.ensure_one()
        # sudo: the tier of a customer the user reads, for the current company
        tier = self.sudo().key_account_tier_id
        if tier.is_key_account:
            return self.env._(
                "%(customer)s (%(tier)s) buys less because of financial difficulty. Protect this customer: "
                "consider a price or payment concession that keeps our basic interest, decided by a sales "
                "manager and recorded on the order. Nothing changes prices by itself.",
                customer=self.name, tier=tier.name)
        return self.env._(
            "%(customer)s (%(tier)s) buys less because of financial difficulty. Weigh carefully whether "
            "to help: check its credit, overdue amounts and the value it brings before any concession. "
            "Nothing changes prices by itself.",
            customer=self.name, tier=tier.name or self.env._("no tier"))

    def action_open_customer_insights(self):
        self._ensure_one_record()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_industrial.crm_customer_insight_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_open_account_plans(self):
        self._ensure_one_record()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_industrial.crm_account_plan_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
