from odoo import api, fields, models
from odoo.tools import SQL


class CrmKeyAccountTierHistory(models.Model):
    """One change of a customer's tier: who, when, from, to and why."""

    _name = "crm.key.account.tier.history"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Key-Account Tier Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", "Changed by", default=lambda self: self.env.user)
    old_tier_id = fields.Many2one("crm.key.account.tier", "From")
    new_tier_id = fields.Many2one("crm.key.account.tier", "To")
    automatic = fields.Boolean(help="Set by the nightly classification rather than by a person.")
    reason = fields.Char()

    @api.model
    def _insert_changes(self, changes):
        """Record tier changes (dicts of partner_id, company_id, old_tier_id, new_tier_id,
        automatic, reason) in one INSERT whatever their number: the first classification records
        one per customer. Dated now, by the current user, like a record created here."""
        if not changes:
            return
        now, uid = fields.Datetime.now(), self.env.uid
        columns = ("partner_id", "company_id", "old_tier_id", "new_tier_id", "reason")
        self.env.cr.execute(SQL("""
            INSERT INTO crm_key_account_tier_history (partner_id, company_id, old_tier_id, new_tier_id, automatic,
                                                      reason, date, user_id, create_uid, create_date,
                                                      write_uid, write_date)
            SELECT change.*, %(now)s, %(uid)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(partner_id)s::int[], %(company_id)s::int[], %(old_tier_id)s::int[],
                          %(new_tier_id)s::int[], %(automatic)s::bool[], %(reason)s::varchar[])
                   AS change(partner_id, company_id, old_tier_id, new_tier_id, automatic, reason)
        """, now=now, uid=uid, **{column: [change.get(column) or None for change in changes] for column in columns},
            automatic=[bool(change.get("automatic")) for change in changes]))
        self.invalidate_model()
        self.env["res.partner"].browse({change["partner_id"] for change in changes}).invalidate_recordset(
            ["tier_history_ids"])

    @api.model
    def _timelines(self, partners, companies):
        """{(partner id, company id): [(date, old tier, new tier), ...] oldest first}."""
        timelines = {}
        if not partners or not companies:
            return timelines
        # sudo: only the tiers in force are derived from it, for records the user already reads
        changes = self.sudo().search_fetch(
            [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)],
            ["partner_id", "company_id", "date", "old_tier_id", "new_tier_id"], order="date, id")
        for change in changes:
            timelines.setdefault((change.partner_id.id, change.company_id.id), []).append(
                (change.date, change.old_tier_id, change.new_tier_id))
        return timelines

    @api.model
    def _tier_at(self, changes, when):
        """The tier in force at `when` from a timeline of _timelines. Before the first change,
        the tier it changed from, or the first tier given when the customer had none yet."""
        in_force = [new for date, _old, new in changes if date <= when]
        if in_force:
            return in_force[-1].sudo(False)
        _date, first_old, first_new = changes[0]
        return (first_old or first_new).sudo(False)
