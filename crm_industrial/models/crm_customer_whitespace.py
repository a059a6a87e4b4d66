from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

# A customer "buys much less" of a category when its share of the category is under this
# fraction of its comparable customers' share.
LESS_THAN_PEERS = 0.5
# A category is suggested only when at least this many comparable customers buy it: what a single
# other customer buys is that customer's habit, not a pattern of the industry.
MIN_PEER_BUYERS = 2
WHITESPACE_HELP = (
    f"Product categories that at least {MIN_PEER_BUYERS} comparable customers (same industry and same "
    "tier in the company) buy from us and this customer does not, or buys less than half as much of "
    "relative to its size, over the last 12 months of posted invoices (credit notes deducted). Customers "
    "without an industry, a tier or revenue have no comparison.")


class CrmCustomerWhitespace(models.Model):
    """Cross-selling and up-selling gaps (DOMAIN.md §3), computed in one query over posted invoices.

    For a customer C of tier T and industry I in company K, its peers are the other customers of K
    with tier T and industry I. The peers' share of a category is the category's revenue over their
    total revenue (12 months, in company currency); applied to C's total revenue it gives the
    revenue C would make in the category if it bought like its peers (expected revenue); the gap to
    what C buys is the potential.
    """

    _name = "crm.customer.whitespace"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Customer Whitespace"
    _auto = False
    _order = "potential_revenue desc, id"
    _rec_name = "categ_id"
    # what the view reads: pending changes are flushed before it is queried
    _depends = {
        "account.move": ["state", "move_type", "invoice_date", "company_id", "commercial_partner_id"],
        "account.move.line": ["balance", "display_type", "product_id", "move_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.partner": ["industry_id", "key_account_tier_id"],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    tier_id = fields.Many2one("crm.key.account.tier", readonly=True)
    customer_revenue = fields.Monetary(
        "Customer Revenue (12 months)", readonly=True, help="All the customer's invoiced revenue: its size.")
    category_revenue = fields.Monetary(
        "Bought in Category", readonly=True, help="What the customer bought of the category in 12 months.")
    customer_share = fields.Float("Customer Share (%)", readonly=True,
                                  help="The category's share of the customer's revenue.")
    peer_share = fields.Float("Peers' Share (%)", readonly=True,
                              help="The category's share of the comparable customers' revenue.")
    peer_count = fields.Integer("Comparable Buyers", readonly=True,
                                help="How many comparable customers (same industry and tier) bought the "
                                f"category in 12 months; a category is suggested only when at least "
                                f"{MIN_PEER_BUYERS} did.")
    expected_revenue = fields.Monetary(
        readonly=True, help="The customer's revenue times the peers' share of the category.")
    potential_revenue = fields.Monetary(
        "Potential", readonly=True, help="Expected revenue minus what the customer bought of the category.")
    not_bought = fields.Boolean(readonly=True,
                                help="The customer bought nothing of the category in 12 months.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    @api.model
    def _query(self):
        return SQL("""
            WITH bought AS (
                SELECT move.company_id, move.commercial_partner_id AS partner_id, tmpl.categ_id,
                       SUM(-line.balance) AS revenue
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                 WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product'
                   AND move.invoice_date > CURRENT_DATE - INTERVAL '12 months'
                 GROUP BY move.company_id, move.commercial_partner_id, tmpl.categ_id
            ), customer AS (
                SELECT bought.company_id, bought.partner_id, partner.industry_id,
                       (partner.key_account_tier_id ->> bought.company_id::text)::int AS tier_id,
                       SUM(bought.revenue) AS total
                  FROM bought JOIN res_partner partner ON partner.id = bought.partner_id
                 WHERE partner.industry_id IS NOT NULL
                   AND partner.key_account_tier_id ->> bought.company_id::text IS NOT NULL
                 GROUP BY bought.company_id, bought.partner_id, partner.industry_id, tier_id
                HAVING SUM(bought.revenue) > 0
            ), peer_group AS (
                SELECT company_id, industry_id, tier_id, SUM(total) AS total
                  FROM customer GROUP BY company_id, industry_id, tier_id
            ), peer_category AS (
                SELECT customer.company_id, customer.industry_id, customer.tier_id, bought.categ_id,
                       SUM(bought.revenue) AS revenue, COUNT(*) AS buyers
                  FROM customer JOIN bought ON bought.company_id = customer.company_id
                                           AND bought.partner_id = customer.partner_id AND bought.revenue > 0
                 GROUP BY customer.company_id, customer.industry_id, customer.tier_id, bought.categ_id
            ), candidate AS (
                -- the peers' figures leave the customer itself out
                SELECT customer.company_id, customer.partner_id, customer.industry_id, customer.tier_id,
                       customer.total, peer_category.categ_id, COALESCE(own.revenue, 0) AS own_revenue,
                       peer_category.revenue - GREATEST(COALESCE(own.revenue, 0), 0) AS peer_revenue,
                       peer_category.buyers - CASE WHEN own.revenue > 0 THEN 1 ELSE 0 END AS peer_buyers,
                       peer_group.total - customer.total AS peer_total
                  FROM customer
                  JOIN peer_group ON peer_group.company_id = customer.company_id
                                 AND peer_group.industry_id = customer.industry_id
                                 AND peer_group.tier_id = customer.tier_id
                  JOIN peer_category ON peer_category.company_id = customer.company_id
                                    AND peer_category.industry_id = customer.industry_id
                                    AND peer_category.tier_id = customer.tier_id
                  LEFT JOIN bought own ON own.company_id = customer.company_id
                                      AND own.partner_id = customer.partner_id
                                      AND own.categ_id = peer_category.categ_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY company_id, partner_id, categ_id) AS id,
                   company_id, partner_id, categ_id, industry_id, tier_id,
                   total AS customer_revenue, own_revenue AS category_revenue,
                   100 * own_revenue / total AS customer_share,
                   100 * peer_revenue / peer_total AS peer_share, peer_buyers AS peer_count,
                   peer_revenue / peer_total * total AS expected_revenue,
                   peer_revenue / peer_total * total - own_revenue AS potential_revenue,
                   own_revenue <= 0 AS not_bought
              FROM candidate
             WHERE peer_buyers >= %(min_buyers)s AND peer_total > 0 AND peer_revenue > 0
               AND own_revenue < %(less)s * peer_revenue / peer_total * total
        """, less=LESS_THAN_PEERS, min_buyers=MIN_PEER_BUYERS)

    def action_create_opportunity(self):
        """One click: an opportunity for the customer and the category, with the potential as
        expected revenue, created as the user (their rights on leads apply)."""
        self._ensure_one_record()
        if not self.partner_id:
            raise UserError(self.env._("This whitespace row no longer exists: refresh the page."))
        self.partner_id.check_access("read")
        partner = self.partner_id.with_company(self.company_id)
        owner = partner.account_owner_id or partner.user_id or self.env.user
        lead = self.env["crm.lead"].with_company(self.company_id).create({
            "type": "opportunity",
            "name": self.env._("%(category)s for %(customer)s", category=self.categ_id.display_name,
                               customer=partner.name),
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "user_id": owner.id,
            "expected_revenue": round(self.potential_revenue, 2),
            "description": self.env._(
                "Whitespace: %(buyers)s comparable customers (same industry and tier) buy %(category)s, "
                "%(peer).1f%% of their revenue; %(customer)s spends %(own).1f%%.",
                buyers=self.peer_count, peer=self.peer_share, category=self.categ_id.display_name,
                customer=partner.name, own=self.customer_share),
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
