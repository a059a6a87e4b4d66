from odoo import api, fields, models
from odoo.tools import SQL


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The counts of a customer's records shown on its form (smart buttons, history links) and
    the records it links to (this year's plan, notices in effect), all from one query: the form
    is opened many times a day, and one query per count or link added up (README, "Hot
    screens")."""

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

    def _record_link_domains(self):
        """{field: (model, domain, partner field, linked field, by commercial partner, label field)}:
        records linked to these partners, read with the counts (this year's account plan, the supply
        notices in effect); the label field (or None): a stored, untranslated field of the records
        searched when they are the records linked (linked field "id"), read with them (the name
        that shows this year's plan on the form)."""
        today = fields.Date.context_today(self)
        return {
            "current_account_plan_id": ("crm.account.plan", [
                ("partner_id", "in", self._origin.ids), ("company_id", "=", self.env.company.id),
                ("year", "=", today.year)], "partner_id", "id", False, "name"),
            # only these customers' recipient rows: a notice may have thousands of others
            "active_supply_notice_ids": ("crm.supply.notice.recipient", [
                ("partner_id", "in", self._origin.commercial_partner_id.ids),
                ("notice_id", "any", self.env["crm.supply.notice"]._in_effect_domain())],
                "partner_id", "notice_id", True, None),
        }

    def _record_extra_parts(self, link_queries):
        """{name: SQL}: more rows read with the counts, each SQL a SELECT of (name, partner id or
        NULL, integer, jsonb or NULL), given the queries of the links as the user reads them
        ({link field: Query}): e.g. whether a recent financial-difficulty insight exists, this year's
        SWOT and competitors (res_partner_strategy.py). What they give is set by
        _set_record_extras."""
        return {}

    def _set_record_extras(self, extras):
        """Set the fields computed with the counts from the rows of _record_extra_parts
        ({name: [(partner id, integer, data)]}), once the counts and links are set."""

    @api.depends_context("company", "uid", "lang")
    def _compute_record_counts(self):
        """Every count, this year's plan, the notices in effect and the extra rows in one query (a
        UNION of grouped counts, of linked ids and of the extra rows), each count and link over the
        records the user may read (access rules applied): a user who may not read a model gets
        none."""
        domains = self._record_count_domains()
        links = self._record_link_domains()
        parts, link_queries = [], {}
        for name, (model_name, domain) in domains.items():
            query = self._record_query(model_name, domain)
            if query is not None:
                partner = self.env[model_name]._field_to_sql(query.table, "partner_id", query)
                query.groupby = partner
                parts.append(SQL("(%s)", query.select(SQL("%s", name), partner, SQL("COUNT(*)"), SQL("NULL::jsonb"))))
        for name, (model_name, domain, partner_field, linked_field, _commercial, label) in links.items():
            query = self._record_query(model_name, domain)
            if query is not None:
                link_queries[name] = query
                Model = self.env[model_name]
                parts.append(SQL("(%s)", query.select(
                    SQL("%s", name), Model._field_to_sql(query.table, partner_field, query),
                    Model._field_to_sql(query.table, linked_field, query),
                    SQL("to_jsonb(%s)", Model._field_to_sql(query.table, label, query)) if label
                    else SQL("NULL::jsonb"))))
        extras = self._record_extra_parts(link_queries) if self._origin.ids else {}
        parts.extend(SQL("(%s)", part) for part in extras.values())
        values = {name: {} for name in [*domains, *links]}
        extra_rows = {name: [] for name in extras}
        labels = {name: {} for name in links}
        if parts:
            for name, partner_id, value, data in self.env.execute_query(SQL(" UNION ALL ").join(parts)):
                if name in extra_rows:
                    extra_rows[name].append((partner_id, value, data))
                    continue
                values[name].setdefault(partner_id, []).append(value)
                if data is not None:
                    labels[name][value] = data
        for partner in self:
            for name in domains:
                partner[name] = sum(values[name].get(partner._origin.id, [0]))
            for name, (_model, _domain, _partner_field, linked_field, commercial, _label) in links.items():
                key = partner._origin.commercial_partner_id.id if commercial else partner._origin.id
                comodel = self.env[self._fields[name].comodel_name]
                partner[name] = comodel.browse(values[name].get(key, [])[:1 if linked_field == "id" else None])
        for name, (model_name, *_rest, label) in links.items():
            if labels[name]:
                # read with the link as the user reads it: the form shows it without reading it again
                linked = self.env[model_name].browse(list(labels[name]))
                self.env.cache.insert_missing(linked, linked._fields[label], list(labels[name].values()))
        self._set_record_extras(extra_rows)

    def _record_query(self, model_name, domain):
        """The query of `domain` as the user reads `model_name`, or None when there is nothing
        to read."""
        Model = self.env[model_name]
        if not self._origin.ids or not Model.has_access("read"):
            return None
        query = Model._search(domain)
        return None if query.is_empty() else query

    # The histories behind the counts: listed one click away from the form rather than read on
    # every opening of it.

    def _history_action(self, action, name, **context):
        """`action` (a window action's dict) on this partner's records in the current company: what
        its count counts."""
        self._ensure_one_record()
        self.env[action["res_model"]].check_access("read")
        title = self.env._("%(what)s: %(customer)s", what=name, customer=self.display_name)
        action.update({
            "name": title,
            "display_name": title,  # what the web client shows of an action read from its record
            "domain": [("partner_id", "=", self.id), ("company_id", "=", self.env.company.id)],
            "context": context,
        })
        return action

    def _xml_action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_open_tier_history(self):
        self._ensure_one_record()
        view = self.env.ref("crm_industrial.crm_key_account_tier_history_view_list")
        return self._history_action({
            "type": "ir.actions.act_window", "res_model": "crm.key.account.tier.history",
            "view_mode": "list", "views": [(view.id, "list")],
        }, self.env._("Tier History"), create=False)

    def action_open_credit_ratings(self):
        return self._history_action(self._xml_action("crm_industrial.crm_credit_rating_action"),
                                    self.env._("Credit Ratings"), create=False)

    def action_open_financial_snapshots(self):
        self._ensure_one_record()
        return self._history_action(self._xml_action("crm_industrial.crm_customer_financial_snapshot_action"),
                                    self.env._("Financial Snapshots"), default_partner_id=self.id)

    def action_open_credit_holds(self):
        return self._history_action(self._xml_action("crm_industrial.crm_credit_hold_action"),
                                    self.env._("Credit Holds"), create=False)
