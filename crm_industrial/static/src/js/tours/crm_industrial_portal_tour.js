import { registry } from "@web/core/registry";

// A customer's portal user files a complaint, then acknowledges a supply notice, from /my.
registry.category("web_tour.tours").add("crm_industrial_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the complaints from the portal home",
            trigger: "a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "File a new case",
            trigger: "a.o_crmi_new_complaint",
            run: "click",
        },
        {
            content: "Give it a subject",
            trigger: "form.o_crmi_complaint_form input[name='subject']",
            run: "edit Torn bags on delivery",
        },
        {
            content: "Name the order",
            trigger: "form.o_crmi_complaint_form select[name='sale_order_id']",
            run: "selectByIndex 1",
        },
        {
            content: "Describe it",
            trigger: "form.o_crmi_complaint_form textarea[name='description']",
            run: "edit Six bags torn at the bottom.",
        },
        {
            content: "Send",
            trigger: "button.o_crmi_complaint_submit",
            run: "click",
        },
        {
            content: "The case is filed and shown with its promised dates",
            trigger: ".o_crmi_complaint_filed",
        },
        {
            content: "Its stage is shown",
            trigger: ".o_crmi_complaint_stage",
        },
        {
            content: "Go to the supply notices",
            trigger: ".breadcrumb a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the supply notices",
            trigger: "a[href='/my/notices']",
            run: "click",
        },
        {
            content: "Open the notice",
            trigger: "td a:contains('SWN')",
            run: "click",
        },
        {
            content: "Acknowledge it",
            trigger: "button.o_crmi_notice_ack",
            run: "click",
        },
        {
            content: "The acknowledgement is recorded",
            trigger: ".o_crmi_notice_acknowledged",
        },
    ],
});
