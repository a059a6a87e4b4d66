"""The demo story's complaints and suggestions (the test database is installed with demo data)."""

from odoo.tests import tagged

from .common import CrmIndustrialCommon

STAGES = ["new", "investigating", "remedy", "resolved", "closed", "adopted", "declined"]


@tagged("post_install", "-at_install")
class TestComplaintDemo(CrmIndustrialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ids = cls.env["ir.model.data"].search([
            ("module", "=", "crm_industrial"), ("model", "=", "crm.complaint")]).mapped("res_id")
        cls.cases = cls.env["crm.complaint"].browse(ids)

    def _case(self, xmlid):
        case = self.env.ref(f"crm_industrial.{xmlid}")
        self.assertIn(case, self.cases)
        return case

    def test_every_stage_has_a_case(self):
        for stage in STAGES:
            stage = self.env.ref(f"crm_industrial.crm_complaint_stage_{stage}")
            self.assertTrue(self.cases.filtered(lambda case: case.stage_id == stage), stage.name)  # noqa: B023
        for case in self.cases:
            self.assertTrue(case.partner_id.is_company, case.name)
            self.assertEqual(case.contact_id.parent_id, case.partner_id, case.name)
            self.assertTrue(case.category_id and case.description and case.product_ids, case.name)
            self.assertLessEqual(case.date_received, case.date_first_response or case.date_received, case.name)
            if case.sale_order_id:
                self.assertEqual(case.sale_order_id.partner_id, case.partner_id, case.name)
                self.assertLess(case.sale_order_id.date_order, case.date_received, case.name)

    def test_an_open_case_is_breached_and_escalated(self):
        open_cases = self.cases.filtered(lambda case: not case.is_closed and not case.date_resolved)
        breached = open_cases.filtered(lambda case: case.sla_status == "breached")
        self.assertTrue(breached)
        self.assertEqual(self.env["crm.complaint"].search([("sla_status", "=", "breached"),
                                                           ("id", "in", self.cases.ids)]), breached)
        acid = self._case("complaint_fertiliser_acid_strength_demo")
        self.assertIn(acid, breached)
        self.assertFalse(acid.date_first_response)
        # The demo ran the escalation job once: the breach went to the team manager.
        self.assertTrue(acid.escalated)
        breach_type = self.env.ref("crm_industrial.mail_activity_type_complaint_breach")
        self.assertIn(breach_type, acid.activity_ids.activity_type_id)
        # The cases just received are not breached.
        self.assertNotEqual(self._case("complaint_water_treatment_coa_demo").sla_status, "breached")

    def test_quality_complaint_closed_with_credit_note(self):
        case = self._case("complaint_power_plant_sulphur_demo")
        self.assertEqual(case.partner_id, self.env.ref("crm_industrial.partner_power_plant_demo"))
        self.assertEqual(case.category_id, self.env.ref("crm_industrial.crm_complaint_category_quality"))
        self.assertTrue(case.is_closed)
        self.assertEqual(case.root_cause_category, "material")
        self.assertTrue(case.root_cause_analysis and case.corrective_action and case.preventive_action)
        self.assertTrue(case.resolution)
        self.assertTrue(case.date_first_response < case.date_resolved < case.date_closed)
        invoice = case.invoice_id
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        self.assertEqual(invoice.partner_id.commercial_partner_id, case.partner_id)
        self.assertLess(invoice.invoice_date, case.date_received.date())
        self.assertIn(case.sale_order_id, invoice.line_ids.sale_line_ids.order_id)
        credit_note = case.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(case.credit_note_count, 1)
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "draft"))
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertAlmostEqual(credit_note.amount_untaxed, 8.0 * case.quantity_affected)
        self.assertLess(credit_note.amount_untaxed, invoice.amount_untaxed)

    def test_packaging_complaint_with_replacement_quotation(self):
        case = self._case("complaint_pvc_pipes_torn_bags_demo")
        self.assertEqual(case.stage_id, self.env.ref("crm_industrial.crm_complaint_stage_remedy"))
        order = case.replacement_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(case.replacement_count, 1)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, case.partner_id)
        self.assertEqual(order.origin, case.name)
        self.assertEqual(order.order_line.product_id, case.product_ids)
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [case.quantity_affected])
        self.assertEqual(order.amount_total, 0.0)

    def test_lateness_investigated_and_documents_new(self):
        late = self._case("complaint_paper_mill_late_delivery_demo")
        self.assertEqual(late.category_id, self.env.ref("crm_industrial.crm_complaint_category_delivery"))
        self.assertEqual(late.stage_id, self.env.ref("crm_industrial.crm_complaint_stage_investigating"))
        self.assertTrue(late.date_first_response)
        self.assertEqual(late.sale_order_id.partner_id, late.partner_id)
        documents = self._case("complaint_water_treatment_coa_demo")
        self.assertEqual(documents.category_id, self.env.ref("crm_industrial.crm_complaint_category_documents"))
        self.assertEqual(documents.stage_id, self.env.ref("crm_industrial.crm_complaint_stage_new"))

    def test_closed_complaints_have_root_cause_and_resolution(self):
        closed = self.cases.filtered(lambda case: case.kind == "complaint" and case.is_closed)
        self.assertGreaterEqual(len(closed), 2)
        for case in closed:
            self.assertTrue(case.root_cause_category and case.resolution, case.name)
            self.assertTrue(case.date_resolved and case.date_closed, case.name)

    def test_suggestions(self):
        suggestions = self.cases.filtered(lambda case: case.kind == "suggestion")
        self.assertGreaterEqual(len(suggestions), 3)
        outcomes = suggestions.mapped(lambda case: case.stage_id.suggestion_outcome or "open")
        self.assertEqual(set(outcomes), {"adopted", "declined", "open"})
        self.assertTrue(all(case.stage_id.suggestion_outcome for case in suggestions if case.is_closed))

    def test_what_the_customers_were_told_is_dated_when_it_was_said(self):
        """The demo's cases are back-dated: their stage emails and rating requests are dated when
        the case reached its stage and were delivered then; no promise is already broken when it is
        made, and no failed email to a customer stands in the chatter."""
        told = 0
        for case in self.cases:
            customer = case._rating_get_partner()
            reached = max(stamp for stamp in (case.date_received, case.date_first_response, case.date_resolved,
                                              case.date_closed) if stamp)
            for message in case.message_ids:
                to_customer = message.notification_ids.filtered(
                    lambda notification: notification.res_partner_id == customer  # noqa: B023
                    and notification.notification_type == "email")
                if not to_customer:
                    continue
                told += 1
                self.assertEqual(message.date, reached, f"{case.name}: {message.subject}")
                self.assertEqual(set(to_customer.mapped("notification_status")), {"sent"}, case.name)
            creation = case.message_ids.sorted("id")[:1]
            self.assertEqual(creation.date, case.date_received, f"{case.name}: created when received")
        self.assertGreaterEqual(told, 6, "received, investigating, resolved emails and rating requests")
        acid = self._case("complaint_fertiliser_acid_strength_demo")
        received = acid.message_ids.filtered(lambda message: message.message_type == "auto_comment")
        self.assertEqual(len(received), 1, "the acknowledgement of receipt")
        self.assertEqual(received.date, acid.date_received)
        self.assertIn(acid.subject, str(received.body))
        self.assertGreater(acid.response_deadline, received.date, "the promise was ahead when it was made")
        self.assertEqual(acid.sla_summary, "response_breached", "and it was not kept since: that is the story")
