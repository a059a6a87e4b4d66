from odoo import api, models
from odoo.tools import SQL


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The counts of a customer's records shown on its form (smart buttons, history links), all
    from one query: the form is opened many times a day, and one query per count added up
    (README, "Hot screens")."""

    _inherit = "res.partner"

    def _record_count_domains(self):
        """{count field: (model, domain of the records it counts)}: the records of these
        partners (saved ones: a form being edited counts those of its saved partner)."""
        ids = self._origin.ids
        company = [("company_id", "=", self.env.company.id)]
        return {
            "complaint_count": ("crm.complaint", [("partner_id", "in", ids), ("is_closed", "=", False)]),
            "customer_insight_count": ("crm.customer.insight", [("partner_id", "in", ids), *company]),
            "account_plan_count": ("crm.account.plan", [("partner_id", "in", ids), *company]),
            "tier_history_count": ("crm.key.account.tier.history", [("partner_id", "in", ids), *company]),
            "credit_rating_count": ("crm.credit.rating", [("partner_id", "in", ids), *company]),
            "financial_snapshot_count": ("crm.customer.financial.snapshot", [("partner_id", "in", ids), *company]),
            "credit_hold_count": ("crm.credit.hold", [("partner_id", "in", ids), *company]),
        }

    @api.depends_context("company", "uid")
    def _compute_record_counts(self):
        """Every count in one query (a UNION of grouped counts), each over the records the user
        may read (access rules applied): a user who may not read a model counts none."""
        domains = self._record_count_domains()
        counts = {name: {} for name in domains}
        parts = []
        for name, (model_name, domain) in domains.items():
            Model = self.env[model_name]
            if not self._origin.ids or not Model.has_access("read"):
                continue
            query = Model._search(domain)
            if query.is_empty():
                continue
            partner = Model._field_to_sql(query.table, "partner_id", query)
            query.groupby = partner
            parts.append(SQL("(%s)", query.select(SQL("%s", name), partner, SQL("COUNT(*)"))))
        if parts:
            for name, partner_id, count in self.env.execute_query(SQL(" UNION ALL ").join(parts)):
                counts[name][partner_id] = count
        for partner in self:
            for name in domains:
                partner[name] = counts[name].get(partner._origin.id, 0)

    # The histories behind the counts: listed one click away from the form rather than read on
    # every opening of it.

    def _history_action(self, action, name, **context):
        """`action` (a window action's dict) on this partner's records in the current company: what
        its count counts."""
        self._ensure_one_record()
        self.env[action["res_model"]].check_access("read")
        action.update({
            "name": self.env._("%(what)s: %(customer)s", what=name, customer=self.display_name),
            "domain": [("partner_id", "=", self.id), ("company_id", "=", self.env.company.id)],
            "context": context,
        })
        return action

    def _xml_action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_open_tier_history(self):
        view = self.env.ref("crm_industrial.crm_key_account_tier_history_view_list")
        return self._history_action({
            "type": "ir.actions.act_window", "res_model": "crm.key.account.tier.history",
            "view_mode": "list", "views": [(view.id, "list")],
        }, self.env._("Tier History"), create=False)

    def action_open_credit_ratings(self):
        return self._history_action(self._xml_action("crm_industrial.crm_credit_rating_action"),
                                    self.env._("Credit Ratings"), create=False)

    def action_open_financial_snapshots(self):
        return self._history_action(self._xml_action("crm_industrial.crm_customer_financial_snapshot_action"),
                                    self.env._("Financial Snapshots"), default_partner_id=self.id)

    def action_open_credit_holds(self):
        return self._history_action(self._xml_action("crm_industrial.crm_credit_hold_action"),
                                    self.env._("Credit Holds"), create=False)
