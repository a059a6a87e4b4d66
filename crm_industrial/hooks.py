def post_init_hook(env):
    """Customers that already bought from us get their 'customer since' date."""
    customers = env["res.partner"].search([("is_company", "=", True), ("sale_order_ids", "!=", False)])
    customers._fill_customer_since()
