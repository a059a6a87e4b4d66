import { registry } from "@web/core/registry";

// A sales user fills the customer file of a company and finds it grouped by customer type.
registry.category("web_tour.tours").add("crm_industrial_customer_file_tour", {
    url: "/odoo/contacts",
    steps: () => [
        {
            content: "Search the customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Coal Trading",
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Tour Coal Trading')",
            run: "click",
        },
        {
            content: "Open the customer file tab",
            trigger: "a.nav-link:contains('Customer File')",
            run: "click",
        },
        {
            content: "Choose the customer type",
            trigger: "div[name='customer_type'] select",
            run: "select \"distributor\"",
        },
        {
            content: "Enter the warehouse capacity",
            trigger: "div[name='customer_warehouse_capacity'] input[id^='customer_warehouse_capacity']",
            run: "edit 12000",
        },
        {
            content: "Describe the company history",
            trigger: "div[name='customer_history'] textarea",
            run: "edit Family-owned coal trader since 1998.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Wait for the save",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the contacts",
            trigger: ".o_breadcrumb .o_back_button a, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Switch to the list view",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Wait for the list",
            trigger: ".o_list_view .o_data_row:contains('Tour Coal Trading')",
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by customer type",
            trigger: ".o_group_by_menu .o_menu_item:contains('Customer Type')",
            run: "click",
        },
        {
            content: "The customer shows under Distributor / trader",
            trigger: ".o_group_header:contains('Distributor / trader')",
            run: "click",
        },
        {
            content: "and is listed there",
            trigger: ".o_data_row:contains('Tour Coal Trading')",
        },
    ],
});
