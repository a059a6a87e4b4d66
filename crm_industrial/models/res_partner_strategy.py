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
    # the SWOT and competitors of this year's plan on the Strategy tab, read with the counts in one
    # query (issue 15: an x2many per list on the customer form costs queries on every opening)
    strategy_swot_html = fields.Html(
        "SWOT of This Year's Plan", compute="_compute_record_counts", sanitize=False, groups=STRATEGY_READERS,
        help="The strengths, weaknesses, opportunities and threats of this year's account plan, as the user may "
        "read them. Edited on the plan.")
    strategy_competitor_html = fields.Html(
        "Competitors of This Year's Plan", compute="_compute_record_counts", sanitize=False,
        groups=STRATEGY_READERS,
        help="The competitors present at the customer in this year's account plan, with their estimated share "
        "and strengths, as the user may read them. Edited on the plan.")
    # with the counts: whether a difficulty was recorded is one more part of their query
    # (res_partner_record_counts.py; _record_extra_parts below)
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

    def _record_extra_parts(self, link_queries):
        """With the counts: whether these companies have a financial-difficulty insight of the last 12
        months in the current company (whoever may read it), this year's plan's SWOT and competitors
        (as the user reads them)."""
        parts = super()._record_extra_parts(link_queries)
        companies = self.filtered("is_company")._origin
        if companies:
            # sudo: whether a difficulty was recorded, for customers the user reads; not its content
            Insight = self.env["crm.customer.insight"].sudo()
            query = Insight._search(Insight._difficulty_domain(companies, self.env.company))
            if not query.is_empty():
                parts["financial_difficulty"] = query.select(
                    SQL("'financial_difficulty'"), Insight._field_to_sql(query.table, "partner_id", query),
                    SQL("1"), SQL("NULL::jsonb"))
        plans = link_queries.get("current_account_plan_id")
        if plans is not None:
            parts.update(self._strategy_overview_parts(plans.subselect()))
        return parts

    def _set_record_extras(self, extras):
        """financial_difficulty_guidance (a customer in difficulty whose volume falls), and this
        year's plan's SWOT and competitors as HTML (a user who may not read the plan or its points
        gets nothing; every value escaped)."""
        in_difficulty = self.browse(list({row[0] for row in extras.get("financial_difficulty", ())}))
        guidance = {partner.id: partner._financial_difficulty_guidance()
                    for partner in in_difficulty._financial_difficulty_declining()}
        swot, competitors = self._strategy_overview_of(extras)
        for partner in self:
            partner.financial_difficulty_guidance = guidance.get(partner._origin.id, False)
            plan = partner.current_account_plan_id
            partner.strategy_swot_html = plan.id in swot and self._strategy_swot_markup(swot[plan.id])
            partner.strategy_competitor_html = plan.id in competitors and self._strategy_competitor_markup(
                competitors[plan.id])
        return super()._set_record_extras(extras)

    def _strategy_overview_parts(self, plan_ids):
        """{name: SQL}: the SWOT points and the competitors of the plans `plan_ids` (ids, or SQL
        selecting them) as the user may read them (record rules applied), as rows of
        _record_extra_parts: (name, NULL, plan id, [label, text, share, sequence, id])."""
        parts = {}
        Swot, Competitor = self.env["crm.account.plan.swot"], self.env["crm.account.plan.competitor"]
        if Swot.has_access("read"):
            query = Swot._search([("plan_id", "in", plan_ids)])
            if not query.is_empty():
                parts["strategy_swot"] = query.select(
                    SQL("'strategy_swot'"), SQL("NULL::int"), Swot._field_to_sql(query.table, "plan_id", query),
                    SQL("jsonb_build_array(%s::text, %s::text, NULL::float8, %s, %s)",
                        Swot._field_to_sql(query.table, "kind", query), Swot._field_to_sql(query.table, "name", query),
                        Swot._field_to_sql(query.table, "sequence", query),
                        Swot._field_to_sql(query.table, "id", query)))
        if Competitor.has_access("read"):
            query = Competitor._search([("plan_id", "in", plan_ids)])
            if not query.is_empty():
                partner = query.join(query.table, "competitor_id", "res_partner", "id", "competitor_id")
                parts["strategy_competitor"] = query.select(
                    SQL("'strategy_competitor'"), SQL("NULL::int"),
                    Competitor._field_to_sql(query.table, "plan_id", query),
                    SQL("jsonb_build_array(%s::text, %s::text, %s::float8, 0, %s)",
                        self.env["res.partner"]._field_to_sql(partner, "name", query),
                        Competitor._field_to_sql(query.table, "strengths", query),
                        Competitor._field_to_sql(query.table, "share", query),
                        Competitor._field_to_sql(query.table, "id", query)))
        return parts

    def _strategy_overview_of(self, extras):
        """({plan id: [(kind, point)]}, {plan id: [(competitor, share, strengths)]}) from the rows of
        _strategy_overview_parts in `extras`: the SWOT by kind then sequence, the competitors by
        share, largest first."""
        kind_order = {kind: index for index, (kind, _label) in enumerate(SWOT_KINDS)}
        swot, competitors = {}, {}
        for _partner, plan_id, (kind, point, _share, _sequence, _id) in sorted(
                extras.get("strategy_swot", ()), key=lambda row: (kind_order.get(row[2][0], 0), row[2][3], row[2][4])):
            swot.setdefault(plan_id, []).append((kind, point))
        for _partner, plan_id, (name, strengths, share, _sequence, _id) in sorted(
                extras.get("strategy_competitor", ()), key=lambda row: (-(row[2][2] or 0.0), row[2][4])):
            competitors.setdefault(plan_id, []).append((name, share or 0.0, strengths))
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
