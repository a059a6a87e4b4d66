from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, formatLang

from .crm_account_plan_swot import SWOT_KINDS

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
    # the SWOT and competitors of this year's plan on the Strategy tab, read in one query (issue 15:
    # an x2many per list on the customer form costs queries on every opening)
    strategy_swot_html = fields.Html(
        "SWOT of This Year's Plan", compute="_compute_strategy_overview", sanitize=False, groups=STRATEGY_READERS,
        help="The strengths, weaknesses, opportunities and threats of this year's account plan, as the user may "
        "read them. Edited on the plan.")
    strategy_competitor_html = fields.Html(
        "Competitors of This Year's Plan", compute="_compute_strategy_overview", sanitize=False,
        groups=STRATEGY_READERS,
        help="The competitors present at the customer in this year's account plan, with their estimated share "
        "and strengths, as the user may read them. Edited on the plan.")
    # with the counts: whether a difficulty was recorded is one more part of their query
    # (res_partner_record_counts.py, _set_record_flags below)
    financial_difficulty_guidance = fields.Text(
        compute="_compute_record_counts", groups=STRATEGY_READERS,
        help="Shown when a financial-difficulty insight was recorded in the last 12 months and the customer's "
        "volume falls (the Declining list): what to do, by tier. Never a price change by itself.")

    @api.depends_context("company")
    def _compute_strategy_lines(self):
        for partner in self:
            plan = partner.current_account_plan_id
            partner.strategy_swot_ids = plan.swot_ids
            partner.strategy_competitor_ids = plan.competitor_ids

    @api.depends_context("company", "uid", "lang")
    def _compute_strategy_overview(self):
        """This year's plan's SWOT and competitors as HTML, from one query over both, read with the
        user's rights (record rules applied: a user who may not read the plan or its points gets
        nothing). Every value is escaped."""
        self.strategy_swot_html = self.strategy_competitor_html = False
        plans = self.current_account_plan_id
        if not plans:
            return
        swot, competitors = self._strategy_overview_rows(plans)
        for partner in self:
            plan = partner.current_account_plan_id
            if plan.id in swot:
                partner.strategy_swot_html = self._strategy_swot_markup(swot[plan.id])
            if plan.id in competitors:
                partner.strategy_competitor_html = self._strategy_competitor_markup(competitors[plan.id])

    def _strategy_overview_rows(self, plans):
        """({plan id: [(kind, point)]}, {plan id: [(competitor, share, strengths)]}) of `plans`, in
        one query (a UNION of both line models, each searched as the user)."""
        parts = []
        Swot, Competitor = self.env["crm.account.plan.swot"], self.env["crm.account.plan.competitor"]
        if Swot.has_access("read"):
            query = Swot._search([("plan_id", "in", plans.ids)])
            if not query.is_empty():
                parts.append(SQL("(%s)", query.select(
                    SQL("'swot'"), Swot._field_to_sql(query.table, "plan_id", query),
                    SQL("%s::text", Swot._field_to_sql(query.table, "kind", query)),
                    SQL("%s::text", Swot._field_to_sql(query.table, "name", query)),
                    SQL("NULL::float8"), Swot._field_to_sql(query.table, "sequence", query),
                    Swot._field_to_sql(query.table, "id", query))))
        if Competitor.has_access("read"):
            query = Competitor._search([("plan_id", "in", plans.ids)])
            if not query.is_empty():
                partner = query.join(query.table, "competitor_id", "res_partner", "id", "competitor_id")
                parts.append(SQL("(%s)", query.select(
                    SQL("'competitor'"), Competitor._field_to_sql(query.table, "plan_id", query),
                    SQL("%s::text", self.env["res.partner"]._field_to_sql(partner, "name", query)),
                    SQL("%s::text", Competitor._field_to_sql(query.table, "strengths", query)),
                    SQL("%s::float8", Competitor._field_to_sql(query.table, "share", query)),
                    SQL("0"), Competitor._field_to_sql(query.table, "id", query))))
        swot, competitors = {}, {}
        if not parts:
            return swot, competitors
        rows = self.env.execute_query(SQL(" UNION ALL ").join(parts))
        kind_order = {kind: index for index, (kind, _label) in enumerate(SWOT_KINDS)}

        def order(row):
            source, _plan, label, _text, share, sequence, row_id = row
            rank = kind_order.get(label, 0) if source == "swot" else -(share or 0.0)
            return source, rank, sequence, row_id

        for source, plan_id, label, text, share, _sequence, _id in sorted(rows, key=order):
            if source == "swot":
                swot.setdefault(plan_id, []).append((label, text))
            else:
                competitors.setdefault(plan_id, []).append((label, share or 0.0, text))
        return swot, competitors

    @staticmethod
    def _strategy_text_markup(text):
        """Plain text as escaped HTML, its line breaks kept."""
        return Markup("<br/>").join((text or "").splitlines())

    def _strategy_swot_markup(self, points):
        """A 2x2 grid of the SWOT points [(kind, point)], headed by the kinds' labels in the
        environment's language."""
        colours = {"strength": "success", "weakness": "warning", "opportunity": "info", "threat": "danger"}
        labels = dict(self.env["crm.account.plan.swot"]._fields["kind"]._description_selection(self.env))
        cells = []
        for kind, _label in SWOT_KINDS:
            items = [point for point_kind, point in points if point_kind == kind]
            body = (Markup("<ul class='mb-0 ps-3'>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % self._strategy_text_markup(item) for item in items) if items
                else Markup("<div class='text-muted'>&#8212;</div>"))
            cells.append(Markup(
                "<div class='col-md-6'><div class='h-100 border-start border-3 border-%s ps-2 py-1'>"
                "<div class='fw-bold text-%s'>%s</div>%s</div></div>") % (
                colours[kind], colours[kind], labels.get(kind, kind), body))
        return Markup("<div class='row g-2 o_crmi_strategy_swot'>%s</div>") % Markup().join(cells)

    def _strategy_competitor_markup(self, competitors):
        """A table of the competitors [(name, share, strengths)], headed by the competitor lines'
        field labels in the environment's language, shares as the language writes numbers."""
        fields_ = self.env["crm.account.plan.competitor"]._fields
        headers = [fields_[name]._description_string(self.env) for name in ("competitor_id", "share", "strengths")]
        rows = Markup().join(
            Markup("<tr><td>%s</td><td class='text-end text-nowrap'>%s</td><td>%s</td></tr>") % (
                name, formatLang(self.env, share, digits=1), self._strategy_text_markup(strengths))
            for name, share, strengths in competitors)
        return Markup(
            "<table class='table table-sm mb-0 o_crmi_strategy_competitors'><thead><tr><th>%s</th>"
            "<th class='text-end'>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>") % (*headers, rows)

    def action_open_current_account_plan(self):
        """This year's account plan of the customer, in its own form (where its SWOT and
        competitors are edited)."""
        self._ensure_one_record()
        plan = self.current_account_plan_id
        if not plan:
            raise UserError(self.env._("%(customer)s has no account plan for this year in this company.",
                                       customer=self.display_name))
        plan.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.account.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _record_flag_domains(self):
        """The companies among these partners with a financial-difficulty insight of the last 12
        months in the current company (read with the counts, whoever may read the insight)."""
        flags = super()._record_flag_domains()
        companies = self.filtered("is_company")._origin
        if companies:
            Insight = self.env["crm.customer.insight"]
            flags["financial_difficulty"] = (Insight._name, Insight._difficulty_domain(companies, self.env.company))
        return flags

    def _set_record_flags(self, flags):
        """financial_difficulty_guidance: for a customer in difficulty whose volume falls."""
        in_difficulty = self.browse(flags.get("financial_difficulty", ()))
        guidance = {partner.id: partner._financial_difficulty_guidance()
                    for partner in in_difficulty._financial_difficulty_declining()}
        for partner in self:
            partner.financial_difficulty_guidance = guidance.get(partner._origin.id, False)
        return super()._set_record_flags(flags)

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
