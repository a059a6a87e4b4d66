from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

import pytz
from babel.dates import get_timezone_name

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, email_normalize, format_datetime
from odoo.tools.misc import babel_locale_parse

from .crm_key_account_tier import SEVERITIES

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("portal", "Portal"),
    ("other", "Other"),
]
ROOT_CAUSES = [
    ("material", "Raw material"),
    ("process", "Production process"),
    ("equipment", "Equipment"),
    ("people", "People / handling"),
    ("logistics", "Transport and logistics"),
    ("documents", "Documents and data"),
    ("customer", "Customer's use or storage"),
    ("other", "Other"),
]
SLA_STATUSES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached")]
# The SLA status said with the deadline it refers to (the response first, then the resolution).
SLA_SUMMARIES = [
    ("response_on_track", "Response on Track"),
    ("response_at_risk", "Response at Risk"),
    ("response_breached", "Response Breached"),
    ("resolution_on_track", "Resolution on Track"),
    ("resolution_at_risk", "Resolution at Risk"),
    ("resolution_breached", "Resolution Breached"),
]
# Working hours promised when the customer has no tier: (first response, resolution).
FALLBACK_SLA_HOURS = {"low": (40, 240), "normal": (24, 160), "high": (16, 120), "critical": (8, 64)}
# Share of the window left under which a case is at risk.
AT_RISK_SHARE = 0.25
# The most a user may type for a quantity (in the product's unit).
MAX_QUANTITY = 1e9
# Fields only the workflow sets (action methods, stage changes, the mail gateway, computes).
WORKFLOW_FIELDS = frozenset({
    "date_first_response", "date_resolved", "date_closed", "response_deadline", "resolution_deadline",
    "response_risk_date", "resolution_risk_date", "sla_met", "sla_compliance", "response_hours",
    "resolution_hours", "escalated", "at_risk_notified", "tier_id", "priority",
})
# The escalation job's cases per batch (README, "Background work"); a system parameter may change it.
ESCALATION_BATCH_PARAM, ESCALATION_BATCH_DEFAULT = "crm_industrial.complaint_escalation_batch_size", 500
# Set only by Python code of this model (never by a caller: it is not in the context, nor in any
# argument an RPC can pass): True while the workflow itself writes WORKFLOW_FIELDS.
_WORKFLOW_WRITE = ContextVar("crm_complaint_workflow_write", default=False)


@contextmanager
def _workflow_write():
    token = _WORKFLOW_WRITE.set(True)
    try:
        yield
    finally:
        _WORKFLOW_WRITE.reset(token)


class CrmComplaint(models.Model):
    """A customer's complaint or suggestion, from receipt to remedy and rating."""

    _name = "crm.complaint"
    _description = "Complaint or Suggestion"
    _inherit = ["mail.thread.cc", "mail.activity.mixin", "rating.mixin", "crm.industrial.value.guard"]
    _order = "priority desc, date_received desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # accountants and salespeople comment on cases they may read

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    kind = fields.Selection([("complaint", "Complaint"), ("suggestion", "Suggestion")],
                            required=True, default="complaint", tracking=True)
    subject = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", tracking=True, index=True, check_company=True, domain=[("is_company", "=", True)],
        help="The customer company the case is about. Required, except on cases received by email from an "
        "unknown sender: those wait 'To Triage' without a customer (and count nowhere: no banner, index or "
        "escalation) until complaint staff confirm the customer.")
    to_triage = fields.Boolean(
        compute="_compute_to_triage", store=True, index=True,
        help="Received by email from a sender who is not a known contact of a customer company: a complaint "
        "user must confirm which customer it is about before it counts anywhere.")
    email_from = fields.Char(
        "Sender Email", readonly=True, copy=False,
        help="For cases received by email: the sender's address, as the message gave it.")
    triage_partner_id = fields.Many2one(
        "res.partner", "Customer to Confirm", check_company=True, domain=[("is_company", "=", True)], copy=False,
        help="On a case to triage: the customer complaint staff believe it is about; 'Confirm Customer' makes "
        "it the case's customer.")
    contact_id = fields.Many2one("res.partner", check_company=True,
                                 domain="[('parent_id', '=', partner_id)]")
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    category_id = fields.Many2one("crm.complaint.category", tracking=True)
    severity = fields.Selection(SEVERITIES, required=True, default="normal", tracking=True)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], compute="_compute_priority", store=True)
    sale_order_id = fields.Many2one("sale.order", "Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    invoice_id = fields.Many2one("account.move", check_company=True,
                                 domain="[('partner_id', 'child_of', partner_id), ('move_type', '=', 'out_invoice'),"
                                        " ('state', '=', 'posted')]")
    sale_order_ref = fields.Char("Sales Order Reference", compute="_compute_document_refs",
                                 help="The reference of the order, for staff who do not read sales orders.")
    invoice_ref = fields.Char("Invoice Reference", compute="_compute_document_refs",
                              help="The reference of the invoice, for staff who do not read invoices.")
    product_ids = fields.Many2many("product.product", string="Products Affected", check_company=True)
    quantity_affected = fields.Float(help="Quantity of each affected product, in its unit (0 to 1,000,000,000).")
    description = fields.Html()
    user_id = fields.Many2one("res.users", "Responsible", tracking=True, index=True,
                              domain=[("share", "=", False)], compute="_compute_user_id", store=True,
                              readonly=False)
    team_id = fields.Many2one("crm.team", tracking=True, check_company=True,
                              compute="_compute_team_id", store=True, readonly=False)
    stage_id = fields.Many2one("crm.complaint.stage", tracking=True, index=True, copy=False,
                               group_expand="_read_group_expand_full", ondelete="restrict",
                               default=lambda self: self.env["crm.complaint.stage"].search([], limit=1))
    is_closed = fields.Boolean(
        "Closed", compute="_compute_is_closed", store=True, index=True,
        help="Follows the stage: a case is closed exactly when it sits in a closing stage.")
    root_cause_category = fields.Selection(ROOT_CAUSES, "Root Cause", tracking=True)
    root_cause_analysis = fields.Text()
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    resolution = fields.Text(tracking=True)
    date_received = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    date_first_response = fields.Datetime("First Response", copy=False, tracking=True)
    date_resolved = fields.Datetime("Resolved On", copy=False)
    date_closed = fields.Datetime("Closed On", copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    tier_id = fields.Many2one("crm.key.account.tier", "Customer Tier", compute="_compute_tier_id", store=True)
    response_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    response_risk_date = fields.Datetime(compute="_compute_deadlines", store=True,
                                         help="From then on, the first response is at risk.")
    resolution_risk_date = fields.Datetime(compute="_compute_deadlines", store=True)
    sla_status = fields.Selection(SLA_STATUSES, "SLA", compute="_compute_sla_status", search="_search_sla_status")
    sla_hours_left = fields.Float("Hours Left", compute="_compute_sla_status",
                                  help="Calendar hours to the next deadline; negative when breached.")
    sla_deadline = fields.Datetime(
        "Current Deadline", compute="_compute_sla_status",
        help="The deadline the SLA status refers to: the response deadline until the case is answered, "
        "then the resolution deadline. Empty once the case is resolved or closed.")
    sla_summary = fields.Selection(
        SLA_SUMMARIES, "SLA Status", compute="_compute_sla_status",
        help="The SLA status with the deadline it refers to: Response Breached means the case was not "
        "answered in time, whatever its resolution deadline.")
    escalated = fields.Boolean(copy=False, help="The breach was escalated to the team manager.")
    at_risk_notified = fields.Boolean(copy=False)
    response_hours = fields.Float("First Response Time (h)", compute="_compute_durations", store=True,
                                  aggregator="avg",
                                  help="Hours from receipt to the first response; unknown (left out of "
                                  "averages) while the case is unanswered.")
    resolution_hours = fields.Float("Resolution Time (h)", compute="_compute_durations", store=True,
                                    aggregator="avg",
                                    help="Hours from receipt to resolution; unknown (left out of averages) "
                                    "while the case is unresolved.")
    sla_met = fields.Boolean("SLA Met", compute="_compute_durations", store=True,
                             help="Answered and resolved within the promised working hours.")
    sla_compliance = fields.Float("SLA Compliance (%)", compute="_compute_durations", store=True, aggregator="avg",
                                  help="100 for a case that kept its deadlines so far, 0 for one that missed "
                                  "one. Averages count only the cases answered or past a deadline: an "
                                  "unanswered case still in time is left out.")
    replacement_order_ids = fields.One2many("sale.order", "complaint_id", "Replacements")
    credit_note_ids = fields.One2many("account.move", "complaint_id", "Credit Notes")
    replacement_count = fields.Integer(compute="_compute_replacement_count")
    credit_note_count = fields.Integer(compute="_compute_credit_note_count")

    # ------------------------------------------------------------ computes

    @api.depends("sale_order_id", "invoice_id")
    def _compute_document_refs(self):
        for complaint in self:
            # sudo: only the references of the order and invoice the case is about, for quality staff who
            # read the case but not sales or accounting documents; nothing else of them is shown
            documents = complaint.sudo()
            complaint.sale_order_ref = documents.sale_order_id.name or False
            complaint.invoice_ref = documents.invoice_id.name or False

    @api.depends("stage_id.is_closed")
    def _compute_is_closed(self):
        for complaint in self:
            complaint.is_closed = complaint.stage_id.is_closed

    @api.depends("partner_id")
    def _compute_to_triage(self):
        for complaint in self:
            complaint.to_triage = not complaint.partner_id

    @api.depends("severity")
    def _compute_priority(self):
        for complaint in self:
            complaint.priority = "1" if complaint.severity in ("high", "critical") else "0"

    @api.depends("partner_id")
    def _compute_user_id(self):
        """Routing: a customer who prefers a dedicated representative gets them (DOMAIN.md §3)."""
        for complaint in self:
            representative = complaint.partner_id.commercial_partner_id.complaint_representative_id
            complaint.user_id = representative or complaint.user_id

    @api.depends("partner_id")
    def _compute_team_id(self):
        """Otherwise the complaint team takes the case."""
        default_team = self.env.ref("crm_industrial.crm_team_complaints", raise_if_not_found=False)
        for complaint in self:
            complaint.team_id = complaint.team_id or default_team

    @api.depends("partner_id", "company_id")
    def _compute_tier_id(self):
        for complaint in self:
            customer = complaint.partner_id.commercial_partner_id.with_company(complaint.company_id)
            # sudo: the SLA follows the customer's tier whoever files the case; only its id is stored
            complaint.tier_id = customer.sudo().key_account_tier_id

    @api.depends("tier_id", "severity", "date_received", "company_id")
    def _compute_deadlines(self):
        for complaint in self:
            response, resolution = complaint._sla_hours()
            complaint.response_deadline = complaint._plan_working_hours(response)
            complaint.resolution_deadline = complaint._plan_working_hours(resolution)
            complaint.response_risk_date = complaint._risk_date(complaint.response_deadline)
            complaint.resolution_risk_date = complaint._risk_date(complaint.resolution_deadline)

    def _risk_date(self, deadline):
        """The moment the last AT_RISK_SHARE of the time to a deadline begins."""
        received = self.date_received or fields.Datetime.now()
        return deadline - (deadline - received) * AT_RISK_SHARE

    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint._current_deadline()
            complaint.sla_deadline = deadline
            complaint.sla_hours_left = deadline and (deadline - now).total_seconds() / 3600
            risk = complaint.resolution_risk_date if complaint.date_first_response else complaint.response_risk_date
            complaint.sla_status = deadline and (
                "breached" if deadline < now else "at_risk" if risk < now else "on_track")
            clock = "resolution" if complaint.date_first_response else "response"
            complaint.sla_summary = complaint.sla_status and f"{clock}_{complaint.sla_status}"

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the SLA status."))
        values = [value] if isinstance(value, str) else list(value)
        domains = [self._sla_domain(status) for status in values]
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        return domain if operator in ("=", "in") else ["!", *domain]

    @api.model
    def _sla_domain(self, status):
        """The open cases in an SLA status, as a domain the database answers alone."""
        now = fields.Datetime.now()
        breached = ["|", "&", ("date_first_response", "=", False), ("response_deadline", "<", now),
                    ("resolution_deadline", "<", now)]
        at_risk = ["|", "&", ("date_first_response", "=", False), ("response_risk_date", "<", now),
                   "&", ("date_first_response", "!=", False), ("resolution_risk_date", "<", now)]
        status_domain = {
            "breached": breached,
            "at_risk": expression.AND([["!", *breached], at_risk]),
            "on_track": expression.AND([["!", *breached], ["!", *at_risk]]),
        }[status]
        return expression.AND([self._open_domain(), status_domain])

    @api.depends("date_received", "date_first_response", "date_resolved", "response_deadline", "resolution_deadline")
    def _compute_durations(self):
        for complaint in self:
            received = complaint.date_received
            complaint.response_hours = complaint.date_first_response and (
                (complaint.date_first_response - received).total_seconds() / 3600)
            complaint.resolution_hours = complaint.date_resolved and (
                (complaint.date_resolved - received).total_seconds() / 3600)
            complaint.sla_met = bool(
                complaint.date_first_response and complaint.date_resolved
                and complaint.date_first_response <= complaint.response_deadline
                and complaint.date_resolved <= complaint.resolution_deadline)
            complaint.sla_compliance = 100.0 if complaint.sla_met else 0.0

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """Measures unknown yet are NULL in SQL, so that every aggregate (avg, min, sum) skips them.

        The columns hold 0 for them (Odoo stores no NULL float); the compliance of open cases depends on
        the clock, so it is evaluated when queried.
        """
        if fname == "response_hours":
            return SQL("CASE WHEN %s IS NOT NULL THEN %s END",
                       super()._field_to_sql(alias, "date_first_response", query, flush),
                       super()._field_to_sql(alias, fname, query, flush))
        if fname == "resolution_hours":
            return SQL("CASE WHEN %s IS NOT NULL THEN %s END",
                       super()._field_to_sql(alias, "date_resolved", query, flush),
                       super()._field_to_sql(alias, fname, query, flush))
        if fname == "sla_compliance":
            return self._sla_compliance_sql(alias, query, flush)
        return super()._field_to_sql(alias, fname, query, flush)

    def _sla_compliance_sql(self, alias, query, flush):
        """100 or 0 for the cases answered or past a deadline; NULL for unanswered cases still in time."""
        def column(name):
            return super(CrmComplaint, self)._field_to_sql(alias, name, query, flush)
        now = fields.Datetime.now()
        return SQL(
            """CASE WHEN %(resolved)s IS NOT NULL THEN (CASE WHEN %(met)s THEN 100.0 ELSE 0.0 END)
                    WHEN %(responded)s IS NOT NULL AND %(responded)s > %(response_deadline)s THEN 0.0
                    WHEN %(responded)s IS NULL AND %(response_deadline)s < %(now)s THEN 0.0
                    WHEN %(resolution_deadline)s < %(now)s THEN 0.0
                    WHEN %(responded)s IS NOT NULL THEN 100.0
               END""",
            resolved=column("date_resolved"), met=column("sla_met"), responded=column("date_first_response"),
            response_deadline=column("response_deadline"), resolution_deadline=column("resolution_deadline"),
            now=now)

    # one compute each: staff who read no sales orders (or no invoices) are never asked for them
    def _compute_replacement_count(self):
        for complaint in self:
            complaint.replacement_count = len(complaint.replacement_order_ids)

    def _compute_credit_note_count(self):
        for complaint in self:
            complaint.credit_note_count = len(complaint.credit_note_ids)

    # --------------------------------------------------------- constraints

    @api.constrains("stage_id", "kind", "root_cause_category", "resolution")
    def _check_closing(self):
        for complaint in self.filtered("is_closed"):
            outcome = complaint.stage_id.suggestion_outcome
            if complaint.kind == "complaint" and outcome:
                raise ValidationError(self.env._(
                    "%(ref)s is a complaint: it closes as resolved, not as an adopted or declined suggestion.",
                    ref=complaint.name))
            if complaint.kind == "suggestion" and not outcome:
                raise ValidationError(self.env._(
                    "%(ref)s is a suggestion: it ends adopted or declined.", ref=complaint.name))
            if complaint.kind == "complaint" and not (
                    complaint.root_cause_category and (complaint.resolution or "").strip()):
                raise ValidationError(self.env._(
                    "%(ref)s cannot be closed without its root cause and resolution.", ref=complaint.name))

    @api.constrains("quantity_affected")
    def _check_quantity_affected(self):
        if any(complaint.quantity_affected < 0 for complaint in self):
            raise ValidationError(self.env._("The quantity affected cannot be negative."))
        if any(complaint.quantity_affected > MAX_QUANTITY for complaint in self):
            raise ValidationError(self.env._("The quantity affected cannot exceed %(max)s.",
                                             max=format(MAX_QUANTITY, ",.0f")))

    @api.constrains("date_received", "date_first_response", "date_resolved", "date_closed")
    def _check_dates(self):
        """The case's clock runs forward: received, answered, resolved, closed."""
        for complaint in self:
            received, responded = complaint.date_received, complaint.date_first_response
            resolved, closed = complaint.date_resolved, complaint.date_closed
            if responded and received and responded < received:
                raise ValidationError(self.env._(
                    "%(ref)s: the first response cannot come before the case was received.", ref=complaint.name))
            if resolved and (resolved < (responded or received)):
                raise ValidationError(self.env._(
                    "%(ref)s: the case cannot be resolved before it was received and answered.", ref=complaint.name))
            if closed and resolved and closed < resolved:
                raise ValidationError(self.env._(
                    "%(ref)s: the case cannot be closed before it was resolved.", ref=complaint.name))

    @api.constrains("invoice_id", "partner_id", "company_id")
    def _check_invoice(self):
        for complaint in self.filtered("invoice_id"):
            invoice = complaint.invoice_id
            if invoice.move_type != "out_invoice":
                raise ValidationError(self.env._(
                    "%(ref)s: the invoice must be a customer invoice.", ref=complaint.name))
            if invoice.commercial_partner_id != complaint.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(ref)s: invoice %(invoice)s was issued to another customer.",
                    ref=complaint.name, invoice=invoice.display_name))
            if invoice.company_id != complaint.company_id:
                raise ValidationError(self.env._(
                    "%(ref)s: invoice %(invoice)s belongs to another company.",
                    ref=complaint.name, invoice=invoice.display_name))

    # ---------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
            self._check_field_values(vals)  # before reading the company a client sent
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("crm.complaint") or "/"
        complaints = super().create(vals_list)
        if not _WORKFLOW_WRITE.get() and any(not complaint.partner_id for complaint in complaints):
            # Only the mail gateway files cases without a customer (to triage, see message_new).
            raise ValidationError(self.env._("A complaint or suggestion needs its customer."))
        complaints._stamp_stage_dates()
        complaints.filtered("user_id")._subscribe_responsible()
        complaints.filtered("is_closed")._request_rating()
        complaints._mark_credit_figures_dirty()
        return complaints

    def write(self, vals):
        self._check_workflow_fields(vals)
        self._check_field_values(vals)  # before reading the customer or stage a client sent
        if {"partner_id", "stage_id", "kind"} & set(vals):
            # an open complaint holds back the silent-dissatisfaction signal
            self._mark_credit_figures_dirty()
        if "partner_id" in vals:
            self._check_customer_change(vals["partner_id"])
        if "stage_id" in vals:
            self._check_can_close(self.env["crm.complaint.stage"].browse(vals["stage_id"]), vals)
        if vals.get("date_first_response"):
            # Answered: the race is now against the resolution deadline, warned and escalated on its own.
            vals = {**vals, "escalated": False, "at_risk_notified": False}
        result = super().write(vals)
        if "stage_id" in vals:
            self._stamp_stage_dates()
            self.filtered("is_closed")._request_rating()
        if vals.get("user_id"):
            self._subscribe_responsible()
        if {"partner_id", "stage_id", "kind"} & set(vals):
            self._mark_credit_figures_dirty()
        return result

    def _mark_credit_figures_dirty(self):
        self.env["crm.customer.credit.stat"]._mark_dirty(
            (complaint.company_id.id, complaint.partner_id.commercial_partner_id.id) for complaint in self)

    def _check_workflow_fields(self, vals):
        """Closed, dates, deadlines and SLA figures are set by the workflow only.

        Allowed: this model's own workflow code (a flag set in Python only, see _workflow_write) and the
        superuser, which already bypasses every access right: data files (the demo's history), migrations
        and the cron. No context key grants anything.
        """
        if "is_closed" in vals:
            raise UserError(self.env._(
                "A case is closed by moving it to a closing stage, not by ticking Closed."))
        written = WORKFLOW_FIELDS.intersection(vals)
        if written and not (_WORKFLOW_WRITE.get() or self.env.su):
            labels = ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in written))
            raise AccessError(self.env._(
                "These fields follow the case's workflow and cannot be set by hand: %(fields)s.", fields=labels))

    def _check_customer_change(self, partner_id):
        if not partner_id:
            raise ValidationError(self.env._("A complaint or suggestion cannot lose its customer."))
        if any(self.mapped("to_triage")) and not (self.env.su or self.env.user.has_group(
                "crm_industrial.group_complaint_user")):
            raise AccessError(self.env._("Only complaint staff confirm the customer of a case to triage."))

    def _check_can_close(self, stage, vals):
        """A complaint reaches a closing stage only with its root cause and resolution, whoever moves it."""
        if not stage.is_closed:
            return
        for complaint in self:
            if complaint.to_triage and not vals.get("partner_id"):
                raise ValidationError(self.env._(
                    "%(ref)s is still to triage: confirm its customer before closing it.", ref=complaint.name))
            kind = vals.get("kind", complaint.kind)
            root_cause = vals.get("root_cause_category", complaint.root_cause_category)
            resolution = vals.get("resolution", complaint.resolution)
            if kind == "complaint" and not (root_cause and (resolution or "").strip()):
                raise ValidationError(self.env._(
                    "%(ref)s cannot be closed without its root cause and resolution.", ref=complaint.name))

    def _stamp_stage_dates(self):
        """Resolving or closing stamps its date; moving back to a working stage reopens the case."""
        now = fields.Datetime.now()
        for complaint in self:
            stage = complaint.stage_id
            values = {}
            if stage.is_resolved or stage.is_closed:
                if not complaint.date_resolved:
                    values["date_resolved"] = now
                    if not complaint.date_first_response:
                        values["date_first_response"] = now  # the resolution itself answers the customer
            else:
                values.update(date_resolved=False, date_closed=False)
            if stage.is_closed and not complaint.date_closed:
                values["date_closed"] = now
            elif not stage.is_closed and complaint.date_closed:
                values["date_closed"] = False
            values = {fname: value for fname, value in values.items() if complaint[fname] != value}
            if values:
                with _workflow_write():
                    complaint.write(values)

    def _subscribe_responsible(self):
        for complaint in self:
            complaint.message_subscribe(partner_ids=complaint.user_id.partner_id.ids)

    # ------------------------------------------------------------- actions

    def action_mark_responded(self):
        self.check_access("write")
        with _workflow_write():
            self.filtered(lambda complaint: not complaint.date_first_response).write(
                {"date_first_response": fields.Datetime.now()})

    def action_confirm_customer(self):
        """Complaint staff confirm which customer a case to triage is about: from then on it counts."""
        if not self.env.user.has_group("crm_industrial.group_complaint_user"):
            raise AccessError(self.env._("Only complaint staff confirm the customer of a case to triage."))
        for complaint in self:
            if not complaint.to_triage:
                raise UserError(self.env._("%(ref)s already has its customer.", ref=complaint.name))
            customer = complaint.triage_partner_id.commercial_partner_id
            if not customer:
                raise UserError(self.env._("Choose the customer to confirm for %(ref)s.", ref=complaint.name))
            contact = complaint.contact_id if complaint.contact_id.commercial_partner_id == customer else False
            complaint.write({"partner_id": customer.id, "contact_id": contact and contact.id,
                             "triage_partner_id": False})
            complaint.message_post(body=self.env._("Customer confirmed: %(customer)s.", customer=customer.name))

    def action_create_replacement(self):
        """A quotation re-supplying the affected products, free of charge, linked to the complaint."""
        self._ensure_one_record()
        if not self.product_ids or self.quantity_affected <= 0:
            raise UserError(self.env._("Name the affected products and quantity before proposing a replacement."))
        order = self.env["sale.order"].create(self._prepare_replacement_vals())
        return self._open_record(order)

    def _prepare_replacement_vals(self):
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "complaint_id": self.id,
            "origin": self.name,
            "order_line": [fields.Command.create({
                "product_id": product.id, "product_uom_qty": self.quantity_affected, "price_unit": 0.0,
                "discount": 0.0}) for product in self.product_ids],
        }

    def action_open_compensation_wizard(self):
        self._ensure_one_record()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compensation"),
            "res_model": "crm.complaint.compensation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_open_replacements(self):
        self._check_back_office_action()
        return self._open_records("sale.order", self.replacement_order_ids)

    def action_open_credit_notes(self):
        self._check_back_office_action()
        return self._open_records("account.move", self.credit_note_ids)

    def _open_record(self, record):
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form"}

    def _open_records(self, model, records):
        return {"type": "ir.actions.act_window", "res_model": model, "name": self.name,
                "domain": [("id", "in", records.ids)], "view_mode": "list,form"}

    # ------------------------------------------------------------ business

    def _sla_hours(self):
        """(response, resolution) working hours promised to this customer for this severity."""
        self.ensure_one()
        if self.tier_id and self.tier_id.service_level_ids.filtered(lambda level: level.severity == self.severity):
            return self.tier_id._get_sla_hours(self.severity)
        return FALLBACK_SLA_HOURS[self.severity or "normal"]

    def _plan_working_hours(self, hours):
        calendar = self.company_id.resource_calendar_id
        start = self.date_received or fields.Datetime.now()
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True).replace(tzinfo=None)

    def _current_deadline(self):
        """The deadline the case races against now: response first, then resolution."""
        if self.is_closed or self.date_resolved:
            return False
        return self.resolution_deadline if self.date_first_response else self.response_deadline

    @api.model
    def _open_domain(self):
        return [("is_closed", "=", False), ("date_resolved", "=", False)]

    @api.model
    def _cron_escalate(self):
        """The escalation job: one batch per call. Odoo's cron runner commits after each call and
        calls again while cases remain (README, "Background work"): a first run over many open
        cases goes in batches of a few seconds, on any node's cron worker."""
        # sudo: a system parameter (administrators' record) giving one number
        size = self.env["ir.config_parameter"].sudo().get_param(ESCALATION_BATCH_PARAM)
        try:
            limit = max(1, int(size)) if size else ESCALATION_BATCH_DEFAULT
        except ValueError:
            limit = ESCALATION_BATCH_DEFAULT
        done, remaining = self._escalate_batch(limit)
        self.env["ir.cron"]._report_batch(done, remaining)

    @api.model
    def _escalation_domains(self):
        """(breached cases not escalated yet, at-risk cases not warned yet): the database answers
        both (the SLA status is a domain on stored deadlines and risk dates)."""
        confirmed = [("to_triage", "=", False)]  # cases to triage escalate once their customer is confirmed
        return (expression.AND([self._sla_domain("breached"), [("escalated", "=", False)], confirmed]),
                expression.AND([self._sla_domain("at_risk"), [("at_risk_notified", "=", False)], confirmed]))

    @api.model
    def _escalate_batch(self, limit=ESCALATION_BATCH_DEFAULT):
        """Escalate breached cases to the team manager and warn on at-risk ones, each once, at most
        `limit` cases (None: all), breached first; returns (done, remaining).

        Idempotent per case: a case is taken only while its flag is unset, and its activities and
        its flag are written in the same transaction, so a batch lost in a crash is redone whole
        and a committed one is never redone."""
        breached_domain, at_risk_domain = self._escalation_domains()
        breached = self.search(breached_domain, order="id", limit=limit)
        room = None if limit is None else limit - len(breached)
        at_risk = self.search(at_risk_domain, order="id", limit=room) if room != 0 else self.browse()
        breached._notify_sla("crm_industrial.mail_activity_type_complaint_breach", with_manager=True)
        at_risk._notify_sla("crm_industrial.mail_activity_type_complaint_at_risk", with_manager=False)
        with _workflow_write():
            breached.write({"escalated": True, "at_risk_notified": True})
            at_risk.write({"at_risk_notified": True})
        done = len(breached) + len(at_risk)
        if limit is None or done < limit:
            return done, 0  # everything there was fitted in this batch
        return done, self.search_count(breached_domain) + self.search_count(at_risk_domain)

    def _notify_sla(self, activity_type_xmlid, with_manager):
        activity_type = self.env.ref(activity_type_xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        values = []
        for complaint in self:
            users = complaint.user_id | (complaint.team_id.user_id if with_manager else self.env["res.users"])
            for user in users or complaint.team_id.user_id:
                values.append({
                    "res_model_id": model_id, "res_id": complaint.id, "activity_type_id": activity_type.id,
                    "user_id": user.id, "date_deadline": fields.Date.context_today(self),
                    "summary": activity_type.with_context(lang=user.lang or self.env.lang).summary,
                })
        # sudo: warning and escalating assign activities to the responsible and the team manager,
        # which the user or job raising them may not be allowed to do; they show nothing back
        self.env["mail.activity"].sudo().create(values)

    def _request_rating(self):
        template = self.env.ref("crm_industrial.mail_template_complaint_rating", raise_if_not_found=False)
        for complaint in self.filtered(lambda complaint: complaint.kind == "complaint"):
            if template and (complaint.contact_id or complaint.partner_id).email:
                complaint.rating_send_request(template, force_send=False)

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def _promise_time(self, deadline):
        """A promised date as our e-mails give it to the customer: in its contact's time zone, else
        in that of the working calendar the deadline was planned on (never in the time zone of the
        user or job sending the e-mail), with the zone named, in the environment's language."""
        self.ensure_one()
        tz = self._rating_get_partner().tz or self.company_id.resource_calendar_id.tz or "UTC"
        # babel names UTC "Unknown Region (UTC) Time"
        zone = "UTC" if tz in ("UTC", "Etc/UTC") else get_timezone_name(
            pytz.timezone(tz), locale=babel_locale_parse(self.env.lang or "en_US"))
        return self.env._("%(time)s (%(zone)s)", time=format_datetime(self.env, deadline, tz=tz, dt_format="short"),
                          zone=zone)

    def _rating_get_operator(self):
        return self.user_id.partner_id

    # ------------------------------------------------------------ mail

    def _message_post_after_hook(self, message, msg_vals):
        """A public answer from us to the customer is the first response."""
        if (not self.date_first_response and msg_vals.get("message_type") == "comment"
                and msg_vals.get("subtype_id") == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
                and not self.env.user.share and message.author_id == self.env.user.partner_id):
            with _workflow_write():
                # sudo: whoever may post on the case (read access, see _mail_post_access) answers the
                # customer; the stamp is the workflow's own, it shows the user nothing they cannot read.
                self.sudo().write({"date_first_response": fields.Datetime.now()})
        return super()._message_post_after_hook(message, msg_vals)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the complaints alias opens a case.

        The From address proves nothing: only a known contact (an existing contact person of a customer
        company, with exactly this email address) files the case for that customer. Anything else waits
        'To Triage' without a customer until complaint staff confirm one (action_confirm_customer).
        """
        email = email_normalize(msg_dict.get("email_from") or "")
        contact = self._known_contact(email)
        values = {
            "name": "/",  # the reference comes from the sequence, not from the subject
            "subject": msg_dict.get("subject") or self.env._("Complaint by email"),
            "channel": "email",
            "description": msg_dict.get("body"),
            "email_from": msg_dict.get("email_from"),
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
        }
        # Whatever the alias defaults say, the customer comes from the sender check above.
        custom = {key: value for key, value in (custom_values or {}).items()
                  if key not in ("partner_id", "contact_id") and key not in WORKFLOW_FIELDS and key != "is_closed"}
        with _workflow_write():
            return super().message_new(msg_dict, custom_values={**custom, **values})

    @api.model
    def _known_contact(self, email):
        """The one contact person of a customer company whose email is exactly this address, if any."""
        if not email:
            return self.env["res.partner"]
        contacts = self.env["res.partner"].sudo().search([  # sudo: the mail gateway matches any contact
            ("email_normalized", "=", email), ("parent_id", "!=", False), ("parent_id.is_company", "=", True),
            ("active", "=", True)])
        contacts = contacts.filtered(lambda partner: partner.commercial_partner_id.is_company)
        return contacts if len(contacts.commercial_partner_id) == 1 and len(contacts) == 1 else contacts.browse()
