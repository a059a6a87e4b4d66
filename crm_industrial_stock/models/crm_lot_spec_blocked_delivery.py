from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.crm_industrial.models.crm_spec_override import QUALITY_USERS

OPEN_STATES = [
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
]


class CrmLotSpecBlockedDelivery(models.Model):
    """The open sales deliveries of customers with a quality specification, as quality staff see
    them without inventory rights: read-only, one row per delivery, listing which lots fail and
    opening the override. The deliveries whose validation the specification blocks are those with
    *Blocked by Specification* set (the check itself is the delivery's)."""

    _name = "crm.lot.spec.blocked.delivery"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Delivery Checked against a Quality Specification"
    _auto = False
    _order = "scheduled_date, id"
    _rec_name = "name"

    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    name = fields.Char("Delivery Reference", readonly=True)
    sale_id = fields.Many2one("sale.order", "Sales Order", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    scheduled_date = fields.Datetime(readonly=True)
    state = fields.Selection(OPEN_STATES, "Status", readonly=True)
    spec_warning = fields.Html(
        "Quality Warning", compute="_compute_spec", sanitize=False,
        help="The lots of this delivery that are outside the customer's quality specification, and by how much.")
    spec_blocked = fields.Boolean(
        "Blocked by Specification", compute="_compute_spec", search="_search_spec_blocked",
        help="The customer requires its specifications and lots outside them, not overridden by a quality "
        "user, stop the validation of the delivery.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """CREATE VIEW %s AS (
                SELECT picking.id, picking.id AS picking_id, picking.name, picking.sale_id,
                       customer.commercial_partner_id AS partner_id, picking.company_id,
                       picking.scheduled_date, picking.state
                  FROM stock_picking picking
                  JOIN stock_picking_type picking_type ON picking_type.id = picking.picking_type_id
                  JOIN sale_order sale ON sale.id = picking.sale_id
                  JOIN res_partner customer ON customer.id = sale.partner_id
                 WHERE picking_type.code = 'outgoing'
                   AND picking.state NOT IN ('done', 'cancel')
                   AND EXISTS (SELECT 1 FROM crm_customer_spec spec
                                WHERE spec.partner_id = customer.commercial_partner_id
                                  AND spec.company_id = picking.company_id AND spec.active))""",
            SQL.identifier(self._table)))

    @api.depends_context("lang")
    def _compute_spec(self):
        # sudo: the delivery's own check, read for quality staff without inventory rights; the row
        # itself was read with the user's rights (its company)
        for row in self:
            picking = row.picking_id.sudo()  # prefetched with the other rows' deliveries
            row.spec_warning = picking.spec_warning
            row.spec_blocked = picking.spec_blocked

    def _search_spec_blocked(self, operator, value):
        """The rows (the user may read) whose delivery is blocked: the check is computed, not
        stored, so the candidates are checked in Python."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search deliveries blocked by specification with = or != and a yes/no."))
        blocked = self.search([]).filtered("spec_blocked")
        return [("id", "in" if (operator == "=") == value else "not in", blocked.ids)]

    def action_open_lot_spec_override(self):
        """The override wizard of this delivery, for quality users (with or without inventory rights)."""
        self._ensure_one_record()
        self.check_access("read")
        if not self.env.user.has_group(QUALITY_USERS):
            raise AccessError(self.env._("Only quality users (Complaints: Quality / Service) can override a "
                                         "quality specification."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Quality Specification"),
            "res_model": "crm.lot.spec.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.picking_id.id},
        }
