"""The supply-notice banner on sale orders: only on orders still to be supplied, while in effect."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .test_supply_notice import SupplyNoticeCommon


@tagged("post_install", "-at_install")
class TestSaleOrderBanner(SupplyNoticeCommon):
    def _published(self, **values):
        notice = self._notice(**values)
        notice.action_find_affected_customers()
        notice.with_user(self.manager).action_publish()
        return notice

    def _warning(self, order):
        order.invalidate_recordset(["supply_notice_warning", "supply_notice_ids"])
        return order.with_user(self.sales_manager).supply_notice_warning

    def test_quotation_shows_title_and_link(self):
        notice = self._published()
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        warning = self._warning(order)
        self.assertIn(notice.title, warning)
        self.assertIn(f"/odoo/crm.supply.notice/{notice.id}", warning)
        self.assertEqual(order.supply_notice_ids, notice)

    def test_confirmed_order_only_while_not_supplied(self):
        notice = self._published()
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        order.action_confirm()
        self.assertIn(notice.title, self._warning(order), "confirmed, nothing delivered or invoiced yet")
        order.order_line.qty_delivered = 4
        self.assertIn(notice.title, self._warning(order), "partly delivered")
        order.order_line.qty_delivered = 10
        self.assertFalse(self._warning(order), "delivered in full")
        order.order_line.qty_delivered = 0
        self.env["sale.order.line"].flush_model()
        self.env.cr.execute("UPDATE sale_order_line SET qty_invoiced = product_uom_qty WHERE order_id = %s",
                            order.ids)
        order.order_line.invalidate_recordset(["qty_invoiced"])
        self.assertFalse(self._warning(order), "invoiced in full: done (no stock module)")

    def test_old_delivered_and_cancelled_orders_show_nothing(self):
        self._published()
        old = self.buyers[1].sale_order_ids  # a year-old order, delivered
        self.assertFalse(self._warning(old))
        cancelled = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        cancelled._action_cancel()
        self.assertFalse(self._warning(cancelled))

    def test_only_while_in_effect(self):
        notice = self._published(date_from=fields.Date.today() + timedelta(days=5))
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        self.assertFalse(self._warning(order), "not yet in effect")
        later = self._published(date_from=fields.Date.today() - timedelta(days=5))
        self.assertIn(later.title, self._warning(order))
        later.with_user(self.manager).action_close()
        self.assertFalse(self._warning(order), "closed")
        self.assertTrue(notice)

    def test_other_products_show_nothing(self):
        self._published()
        acid_order = self._sold(self.buyers[4], self.acid, days_ago=0, confirm=False)
        self.assertFalse(self._warning(acid_order))

    def test_banner_cost_does_not_grow_with_notices(self):
        """Each notice in effect covering a category used to cost a search of its sub-categories."""
        child = self.env["product.category"].create({"name": "Liquid caustic soda",
                                                     "parent_id": self.soda.categ_id.id})
        self.soda.categ_id = child
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)

        def queries():
            self._warning(order)  # warm
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._warning(order)
            return self.env.cr.sql_log_count - before

        self._published(product_ids=[], product_category_ids=[Command.set(child.parent_id.ids)])
        queries()  # the first read also fills the user's access-rule caches
        one = queries()
        for _index in range(4):
            self._published(product_ids=[], product_category_ids=[Command.set(child.parent_id.ids)])
        self.assertEqual(queries(), one)
        self.assertEqual(len(order.supply_notice_ids), 5, "a notice on the parent category covers the child")

    def test_banner_day_is_the_companys(self):
        """The banner's 'today' is the company's (its address's time zone), read with the notices:
        at 23:30 UTC it is already the next day in Shanghai, still the same day in New York."""
        day = fields.Date.today()
        notice = self._published(date_from=day - timedelta(days=3), date_to=day)
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        late_evening = fields.Datetime.to_datetime(day).replace(hour=23, minute=30)
        for tz, shown in (("Asia/Shanghai", False), ("America/New_York", True)):
            self.env.company.partner_id.tz = tz
            with freeze_time(late_evening):
                self.assertEqual(bool(self._warning(order)), shown, tz)
        self.assertTrue(notice)

    def _banner_queries(self, order):
        """Queries of the banner on an emptied cache, the order's lines and products already read
        (the form reads them anyway)."""
        counts = []
        for _run in range(3):  # the first runs warm the user's access-rule caches
            self.env.flush_all()
            self.env.invalidate_all()
            order.order_line.product_id.mapped("name")
            before = self.env.cr.sql_log_count
            self._warning(order)
            counts.append(self.env.cr.sql_log_count - before)
        return counts[-1]

    def test_product_notices_cost_no_category_read(self):
        """Notices in effect that name products only: the order's product categories are not read;
        a notice on a category reads them (one query more) and covers the product's category."""
        self._published()
        order = self._sold(self.buyers[0], self.soda, days_ago=0, confirm=False)
        products_only = self._banner_queries(order)
        self._published(product_ids=[], product_category_ids=[Command.set(self.soda.categ_id.ids)])
        self.assertEqual(self._banner_queries(order), products_only + 1, "the categories, read once")
        self.assertEqual(len(order.supply_notice_ids), 2)
