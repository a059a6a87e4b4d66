from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import float_compare


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.industrial.value.guard", "crm.industrial.x2many.batch"]

    key_account_tier_id = fields.Many2one(
        "crm.key.account.tier", "Key-Account Tier", compute="_compute_key_account_tier_id",
        store=True, precompute=True,
        help="The customer's tier for the order's company at the order's date.")

    complaint_id = fields.Many2one("crm.complaint", index="btree_not_null", copy=False,
                                   help="The complaint this order replaces goods for.")
    complaint_warning = fields.Char(compute="_compute_complaint_warning")

    @api.depends("partner_id", "company_id")
    def _compute_complaint_warning(self):
        """Name the customer's open high or critical complaints, on orders not yet confirmed.

        Searched as the user: the banner names only cases their record rules let them read, of the
        order's company; cases still to triage have no customer and count nowhere.
        """
        self.complaint_warning = False
        drafts = self.filtered(lambda order: order.state in ("draft", "sent") and order.partner_id)
        Complaint = self.env["crm.complaint"]
        if not drafts or not Complaint.has_access("read"):
            return
        # with what the banner names: one query, not a search and a read
        complaints = Complaint.search_fetch([
            ("partner_id", "in", drafts.partner_id.commercial_partner_id.ids), ("is_closed", "=", False),
            ("kind", "=", "complaint"), ("severity", "in", ("high", "critical")),
            ("company_id", "in", drafts.company_id.ids)], ["partner_id", "company_id", "severity", "name", "subject"])
        for order in drafts:
            open_ones = complaints.filtered(lambda c: c.partner_id == order.partner_id.commercial_partner_id  # noqa: B023
                                            and c.company_id == order.company_id)  # noqa: B023
            if open_ones:
                order.complaint_warning = self.env._(
                    "Open %(severity)s complaint: %(refs)s. Handle it with care before promising more.",
                    severity=", ".join(sorted(set(open_ones.mapped("severity")))),
                    refs=", ".join(open_ones.mapped(lambda c: f"{c.name} ({c.subject})")))

    supply_notice_ids = fields.Many2many("crm.supply.notice", compute="_compute_supply_notice_warning",
                                         string="Supply Notices in Effect")
    supply_notice_warning = fields.Html(compute="_compute_supply_notice_warning", sanitize=True)

    @api.depends("order_line.product_id", "order_line.qty_delivered", "order_line.qty_invoiced",
                 "order_line.product_uom_qty", "state")
    def _compute_supply_notice_warning(self):
        """Name, with a link, the supply notices in effect that concern products still to be supplied
        on this order: any product of a quotation, or a product of a confirmed order that is neither
        delivered nor invoiced in full (the addon does not depend on stock)."""
        self.supply_notice_ids = False
        self.supply_notice_warning = False
        Notice = self.env["crm.supply.notice"]
        if not Notice.has_access("read"):
            return
        orders = self.filtered(lambda order: order.state in ("draft", "sent", "sale") and order.order_line)
        if not orders:
            return
        # Read as the user: the company rule hides other companies' notices.
        in_effect = Notice._in_effect_with_products()
        if not in_effect:
            return
        by_category = any(paths for _notice, _company, _products, paths in in_effect)
        for order in orders:
            products = order._supply_notice_open_lines().product_id
            product_ids = set(products.ids)
            # A category covers its sub-categories: compare the categories' paths (no query per notice);
            # no notice in effect names a category: the products' categories are not read
            product_paths = products.categ_id.mapped("parent_path") if by_category else []
            concerned = Notice.browse([
                notice_id for notice_id, company_id, notice_products, paths in in_effect
                if company_id == order.company_id.id and (
                    product_ids & notice_products or any(path.startswith(paths) for path in product_paths))])
            if concerned:
                order.supply_notice_ids = concerned
                order.supply_notice_warning = Markup("%s %s") % (
                    self.env._("Supply notice in effect for products of this order:"),
                    Markup("; ").join(
                        Markup('<a href="/odoo/crm.supply.notice/%s">%s %s</a>')
                        % (notice.id, notice.name, notice.title) for notice in concerned))

    def _supply_notice_open_lines(self):
        """Lines still to be supplied: all product lines of a quotation; on a confirmed order, those
        neither delivered nor invoiced in full."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        if self.state in ("draft", "sent"):
            return lines
        rounding = lambda line: line.product_uom.rounding  # noqa: E731
        return lines.filtered(lambda line: float_compare(line.qty_delivered, line.product_uom_qty,
                                                         precision_rounding=rounding(line)) < 0
                              and float_compare(line.qty_invoiced, line.product_uom_qty,
                                                precision_rounding=rounding(line)) < 0)

    @api.depends("partner_id", "date_order", "company_id")
    def _compute_key_account_tier_id(self):
        """The customer's tier for the order's company at the order's date (tier history),
        or its current tier when its tier never changed.

        An order dated now or later (a new quotation, a confirmation) gets the current tier without
        reading the history: every change is dated when it is written (nobody else writes the
        history), so none is later than now and the last one made the current tier."""
        now = fields.Datetime.now()
        dated_now = self.filtered(lambda order: (order.date_order or now) >= now)
        for order in dated_now:
            customer = order.partner_id.commercial_partner_id
            # sudo: the tier is shown on the order to whoever may read the order
            order.key_account_tier_id = customer.with_company(order.company_id).sudo().key_account_tier_id
        earlier = self - dated_now
        if not earlier:
            return
        History = self.env["crm.key.account.tier.history"]
        timelines = History._timelines(earlier.partner_id.commercial_partner_id, earlier.company_id)
        for order in earlier:
            customer = order.partner_id.commercial_partner_id
            changes = timelines.get((customer.id, order.company_id.id))
            if changes:
                order.key_account_tier_id = History._tier_at(changes, order.date_order)
            else:
                # sudo: the tier is shown on the order to whoever may read the order
                order.key_account_tier_id = customer.with_company(order.company_id).sudo().key_account_tier_id

    def _action_confirm(self):
        result = super()._action_confirm()
        self.partner_id._fill_customer_since()
        return result

    def write(self, vals):
        result = super().write(vals)
        if {"state", "order_line", "partner_id"} & set(vals):
            # a confirmation only adds to the exposure: it frees no held order
            confirmation = vals.get("state") == "sale" and not {"order_line", "partner_id"} & set(vals)
            self._mark_credit_figures_dirty(may_free_holds=not confirmation)
        return result

    def _mark_credit_figures_dirty(self, may_free_holds=True):
        """Confirmed orders not yet invoiced count in their customer's credit exposure."""
        self.env["crm.customer.credit.stat"]._mark_dirty(
            ((order.company_id.id, order.partner_id.commercial_partner_id.id) for order in self),
            may_free_holds=may_free_holds)
