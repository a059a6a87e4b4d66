{
    "name": "Industrial CRM",
    "version": "18.0.1.0.0",
    "summary": "Customer management for industrial B2B sellers: customer file, "
    "buying center, key-account tiers, complaints and supply warnings",
    "category": "Sales/CRM",
    "author": "crm_industrial contributors",
    "license": "LGPL-3",
    "depends": ["contacts", "crm", "sale_management", "account", "mail"],
    "data": [
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/crm_industrial_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_industrial/static/src/js/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "application": False,
    "installable": True,
}
