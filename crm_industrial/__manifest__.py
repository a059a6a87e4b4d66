{
    "name": "Industrial CRM",
    "version": "18.0.1.3.0",
    "summary": "Customer management for industrial B2B sellers: customer file, "
    "buying center, key-account tiers, complaints and supply warnings",
    "category": "Sales/CRM",
    "author": "crm_industrial contributors",
    "license": "LGPL-3",
    "depends": [
        "contacts", "crm", "sale_management", "account", "mail",
        # the customer's organisation chart
        "web_hierarchy",
        # satisfaction ratings after a complaint is closed
        "rating",
    ],
    "data": [
        "security/crm_industrial_security.xml",
        "security/ir.model.access.csv",
        "data/crm_buying_role_data.xml",
        "data/crm_key_account_tier_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/crm_complaint_data.xml",
        "views/res_partner_views.xml",
        "views/crm_buying_role_views.xml",
        "views/res_partner_buying_center_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_key_account_tier_views.xml",
        "views/res_partner_key_account_views.xml",
        "views/crm_complaint_views.xml",
        "views/crm_complaint_config_views.xml",
        "views/crm_complaint_compensation_wizard_views.xml",
        "views/res_partner_complaint_views.xml",
        "report/crm_complaint_report.xml",
        "views/res_config_settings_views.xml",
        "views/crm_industrial_menus.xml",
    ],
    "demo": [
        "demo/crm_industrial_demo.xml",
        "demo/crm_buying_center_demo.xml",
        "demo/crm_key_account_demo.xml",
        "demo/crm_complaint_demo.xml",
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
