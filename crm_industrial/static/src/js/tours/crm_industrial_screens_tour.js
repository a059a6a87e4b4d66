import { registry } from "@web/core/registry";

// Every screen of the addon opens in the browser: complaints, key accounts, buying center.
registry.category("web_tour.tours").add("crm_industrial_screens_tour", {
    url: "/odoo/action-crm_industrial.crm_complaint_action",
    steps: () => [
        {
            content: "The complaint kanban shows the case with its SLA colour",
            trigger: ".o_kanban_record:contains('Tour: wet coal in wagon 12') .border-start",
            run: "click",
        },
        {
            content: "The complaint form opens",
            trigger: ".o_form_view .o_field_widget[name='subject']:contains('Tour: wet coal in wagon 12'), .o_form_view input#subject_0",
        },
        {
            content: "Its SLA badge is there, naming its deadline",
            trigger: ".o_form_view .o_field_widget[name='sla_summary']",
        },
        {
            content: "Open the investigation tab",
            trigger: "a.nav-link:contains('Investigation')",
            run: "click",
        },
        {
            content: "Root cause field",
            trigger: ".o_field_widget[name='root_cause_category']",
            run: () => {
                window.location.href = "/odoo/action-crm_industrial.crm_key_account_stat_action_pyramid";
            },
        },
        {
            content: "The customer pyramid graph renders",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the tiers",
            trigger: ".o_pivot table:contains('Strategic')",
            run: () => {
                window.location.href = "/odoo/action-crm_industrial.crm_key_account_tier_action_pyramid";
            },
        },
        {
            content: "The pyramid shows each tier's customers and revenue, the highest tier on top",
            trigger: ".o_crm_industrial_pyramid .o_kanban_record:first-child .o_crm_industrial_pyramid_band:contains('Strategic'):has(.fa-users)",
            run: "click",
        },
        {
            content: "A band opens the tier's customers",
            trigger: ".o_list_view .o_data_row",
            run: () => {
                window.location.href = "/odoo/action-crm_industrial.res_partner_buying_center_action";
            },
        },
        {
            content: "The buying-center list groups the contacts by company",
            trigger: ".o_list_view .o_group_header:contains('Tour Power Station')",
            run: "click",
        },
        {
            content: "and shows their roles",
            trigger: ".o_list_view .o_data_row:contains('Tour Buyer'):contains('Purchasing Manager')",
            run: () => {
                window.location.href = "/odoo/contacts";
            },
        },
        {
            content: "Search the tour customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Power Station",
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the tour customer",
            trigger: ".o_kanban_record:contains('Tour Power Station')",
            run: "click",
        },
        {
            content: "Its buying center tab shows coverage and gaps",
            trigger: "a.nav-link:contains('Buying Center')",
            run: "click",
        },
        {
            content: "Missing key roles are listed",
            trigger: ".alert-warning .o_field_widget[name='missing_key_role_ids']",
        },
        {
            content: "The key account tab shows the figures",
            trigger: "a.nav-link:contains('Key Account')",
            run: "click",
        },
        {
            content: "Revenue of the last 12 months",
            trigger: ".o_field_widget[name='revenue_12m']",
        },
        {
            content: "Open the organisation chart",
            trigger: "button[name='action_open_organisation_chart']:visible",
            run: "click",
        },
        {
            content: "The chart shows the reporting line",
            trigger: ".o_hierarchy_view .o_hierarchy_node:contains('Tour Buyer')",
        },
    ],
});
