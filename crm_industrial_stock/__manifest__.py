{
    "name": "Industrial CRM - Lots and Deliveries",
    "version": "18.0.1.9.0",
    "summary": "Measured quality values on lots, checked against the customer's quality "
    "specification when a sales delivery is validated",
    "category": "Sales/CRM",
    "author": "crm_industrial contributors",
    "license": "LGPL-3",
    # the bridge between crm_industrial's quality specifications and the inventory's lots;
    # installed by itself wherever both are
    "depends": ["crm_industrial", "sale_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_industrial_stock_security.xml",
        "views/stock_lot_views.xml",
        "views/stock_picking_views.xml",
        "views/crm_lot_spec_override_wizard_views.xml",
        "views/crm_lot_spec_blocked_delivery_views.xml",
    ],
    # a lot-tracked coal and a delivery of the power plant's order blocked by its failing lot (on
    # crm_industrial's demo story)
    "demo": ["demo/crm_industrial_stock_demo.xml"],
    "auto_install": True,
    "application": False,
    "installable": True,
}
