import { registry } from "@web/core/registry";

// A key-account manager's walk: the customer's warnings at the top of its form, its buying
// center, an opportunity missing key roles, a complaint, then a supply notice whose email
// failed, resent.
registry.category("web_tour.tours").add("crm_industrial_sales_walk_tour", {
    steps: () => [
        {
            content: "The customer's warnings are at the top of its form",
            trigger: "div[name='crm_industrial_warnings'] .alert:contains('Key roles nobody holds')",
        },
        {
            content: "A notice in effect is named there too",
            trigger: "div[name='crm_industrial_warnings'] .alert:contains('Supply notices in effect') .o_tag",
        },
        {
            content: "Open the buying center",
            trigger: "a.nav-link:contains('Buying Center')",
            run: "click",
        },
        {
            content: "The buyer holds a role",
            trigger: ".o_field_widget[name='buying_center_ids'] .o_data_row:contains('Tour Buyer')",
        },
        {
            content: "Open the customer's opportunities",
            trigger: "button[name='action_view_opportunity']",
            run: "click",
        },
        {
            content: "Open the opportunity",
            trigger: ".o_kanban_record:contains('Tour: coking coal 2027'), .o_data_row:contains('Tour: coking coal 2027')",
            run: "click",
        },
        {
            content: "The opportunity names the key roles nobody involved holds",
            trigger: ".alert:contains('Key roles not involved in this deal') .o_tag:contains('General Manager')",
        },
        {
            content: "Back to the customer",
            trigger: ".breadcrumb-item a:contains('Tour Steelworks')",
            run: "click",
        },
        {
            content: "Smart buttons beyond the first few wait under More",
            trigger: ".o-form-buttonbox",
            run() {
                const more = this.anchor.querySelector(".o_button_more");
                if (more && !this.anchor.querySelector("button[name='action_open_complaints']")) {
                    more.click();
                }
            },
        },
        {
            content: "Open its complaints",
            trigger: "button[name='action_open_complaints']",
            run: "click",
        },
        {
            content: "Open the complaint",
            trigger: ".o_kanban_record:contains('Tour: wet coal'), .o_data_row:contains('Tour: wet coal')",
            run: "click",
        },
        {
            content: "The complaint opens on its stages",
            trigger: ".o_form_view .o_statusbar_status",
        },
        {
            content: "Go to the supply notices",
            trigger: ".o_form_view",
            run() {
                window.location.href = "/odoo/action-crm_industrial.crm_supply_notice_action";
            },
        },
        {
            content: "Open the notice",
            trigger: ".o_kanban_record:contains('Tour: rail strike'), .o_data_row:contains('Tour: rail strike')",
            run: "click",
        },
        {
            content: "Open the recipients",
            trigger: "a.nav-link:contains('Recipients')",
            run: "click",
        },
        {
            content: "The failed email says why, in plain words",
            trigger: ".o_data_row:contains('Tour Steelworks'):contains('mail server') .badge:contains('Failed')",
        },
        {
            content: "Resend it",
            trigger: ".o_data_row:contains('Tour Steelworks') button[name='action_resend']",
            run: "click",
        },
        {
            content: "It is queued again",
            trigger: ".o_data_row:contains('Tour Steelworks') .badge:contains('Queued')",
        },
    ],
});
