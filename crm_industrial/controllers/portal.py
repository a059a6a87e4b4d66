"""The customer's side in Odoo's customer portal (/my): complaints and suggestions, supply notices.

Portal users have no access right on the addon's models (over RPC they reach nothing of it). These
pages read as the system, and every read goes through one domain on the user's own commercial
entity (crm.complaint._portal_domain, _notice_recipient_domain below): a record outside it is
answered 404, whatever id the URL names. Only what the customer may know is rendered: no tier,
figures, internal notes (the chatter shows public messages only) or buying-center data.
"""

import base64
import os

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import consteq, format_list
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_complaint import MAX_QUANTITY

# Bytes, per file. Odoo itself refuses a request whose form parts exceed 10 MB (413, its
# max_form_memory_size): below that, the customer gets this clear message instead.
MAX_FILE_SIZE = 8 * 1024 * 1024
MAX_FILES = 10
SUBJECT_MAX = 200
DESCRIPTION_MAX = 20000
CHOICES_LIMIT = 200  # orders, invoices, products offered in the form
IMAGE_EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                    ".webp": "image/webp"}
OFFICE_EXTENSIONS = {
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
TEXT_EXTENSIONS = {".txt": "text/plain", ".csv": "text/csv"}
# What the content itself may look like for an office document (old binary formats or zip packages).
OFFICE_CONTENT = ("application/msword", "application/vnd.ms-", "application/vnd.openxmlformats-officedocument.",
                  "application/vnd.oasis.opendocument.", "application/zip", "application/cdfv2",
                  "application/x-ole-storage")


class CrmIndustrialPortal(CustomerPortal):

    # ------------------------------------------------------------------ home

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        # sudo: portal users have no access right on the addon's models; the domains keep to their company
        if "complaint_count" in counters:
            values["complaint_count"] = request.env["crm.complaint"].sudo().search_count(
                request.env["crm.complaint"]._portal_domain(partner))
        if "notice_count" in counters:
            values["notice_count"] = request.env["crm.supply.notice.recipient"].sudo().search_count(
                self._notice_recipient_domain(partner))
        if "spec_count" in counters:
            values["spec_count"] = request.env["crm.customer.spec"].sudo().search_count(self._spec_domain(partner))
        if "notice_to_ack_count" in counters:
            values["notice_to_ack_count"] = request.env["crm.supply.notice.recipient"].sudo().search_count(
                self._notice_recipient_domain(partner, "to_ack"))
        return values

    # ------------------------------------------------------------ complaints

    def _complaint_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": request.env._("Closed"), "domain": [("is_closed", "=", True)]},
        }

    def _complaint_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, date_received desc, id desc"},
        }

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        sortings, filters = self._complaint_sortings(), self._complaint_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        Complaint = request.env["crm.complaint"]
        domain = expression.AND([Complaint._portal_domain(request.env.user.partner_id), filters[filterby]["domain"]])
        # sudo: see the module docstring; the domain keeps to the user's company
        Complaint = Complaint.sudo()
        pager = portal_pager(url="/my/complaints", total=Complaint.search_count(domain), page=page,
                             step=self._items_per_page, url_args={"sortby": sortby, "filterby": filterby})
        complaints = Complaint.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page,
                                      offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({
            "complaints": complaints, "page_name": "complaints", "pager": pager, "default_url": "/my/complaints",
            "searchbar_sortings": sortings, "sortby": sortby, "searchbar_filters": filters, "filterby": filterby,
        })
        return request.render("crm_industrial.portal_my_complaints", values)

    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint, as the system, if it is one of the user's company's cases (or the link's token
        is the case's own, as in the emails Odoo sends its customer); else MissingError."""
        Complaint = request.env["crm.complaint"]
        # sudo: see the module docstring; the record is returned only when it is the user's to see
        complaint = Complaint.sudo().browse(complaint_id).exists()
        if not complaint:
            raise MissingError(request.env._("This case does not exist."))
        if not request.env.user._is_public() and complaint.filtered_domain(
                Complaint._portal_domain(request.env.user.partner_id)):
            return complaint
        if access_token and complaint.access_token and consteq(complaint.access_token, access_token):
            return complaint
        raise MissingError(request.env._("This case does not exist."))

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_complaint_page(self, complaint_id, access_token=None, **kw):
        try:
            complaint = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        partner = request.env.user.partner_id if not request.env.user._is_public() else complaint._rating_get_partner()
        token = complaint._portal_ensure_token()
        values = self._prepare_portal_layout_values()
        values.update({
            "complaint": complaint, "page_name": "complaint", "object": complaint,
            # the portal chatter: public messages only, posted as this partner
            "token": token, "pid": partner.id, "hash": complaint._sign_token(partner.id),
            "access_token": access_token,
            "filed": kw.get("filed"),
            "rating": self._complaint_rating_values(complaint),
        })
        return request.render("crm_industrial.portal_complaint_page", values)

    def _complaint_rating_values(self, complaint):
        """Closed complaints are rated through Odoo's rating pages (/rate/<token>/<score>)."""
        if not complaint.is_closed or complaint.kind != "complaint":
            return {}
        done = complaint.rating_ids.filtered(lambda rating: rating.consumed)[:1]
        if done:
            return {"done": done}
        return {"token": complaint._rating_get_access_token()}

    def _complaint_form_choices(self, partner):
        """What the form offers: the user's own company's orders, invoices and products only."""
        customer = partner.commercial_partner_id
        # sudo: the user's company's own documents, listed for the form (portal users may not read
        # every order of their company through the ORM)
        orders = request.env["sale.order"].sudo().search(
            [("partner_id", "child_of", customer.id), ("state", "=", "sale")], order="date_order desc",
            limit=CHOICES_LIMIT)
        invoices = request.env["account.move"].sudo().search(
            [("commercial_partner_id", "=", customer.id), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted")], order="invoice_date desc, id desc", limit=CHOICES_LIMIT)
        products = (orders.order_line.product_id | invoices.invoice_line_ids.product_id)[:CHOICES_LIMIT]
        categories = request.env["crm.complaint.category"].sudo().search([])
        return {"orders": orders, "invoices": invoices, "products": products.sorted("display_name"),
                "categories": categories}

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_complaint_new(self, **post):
        """GET shows the form; POST (Odoo checks its CSRF token first) files the case."""
        user = request.env.user
        choices = self._complaint_form_choices(user.partner_id)
        errors = []
        if request.httprequest.method == "POST":
            try:
                request.env["crm.complaint"]._portal_check_throttle(user)
                values = self._complaint_form_values(post, choices)
                attachments = self._complaint_form_attachments()
                complaint = request.env["crm.complaint"]._portal_file(user, values, attachments)
            except (UserError, ValidationError) as error:
                errors.append(error.args[0])
            else:
                return request.redirect(f"/my/complaints/{complaint.id}?filed=1")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "complaint_new", "errors": errors, "post": post, **choices,
                       "max_file_mb": MAX_FILE_SIZE // (1024 * 1024), "max_files": MAX_FILES,
                       "accept": ",".join(sorted({**IMAGE_EXTENSIONS, ".pdf": 1, **OFFICE_EXTENSIONS,
                                                  **TEXT_EXTENSIONS}))})
        return request.render("crm_industrial.portal_complaint_new", values, status=400 if errors else 200)

    def _complaint_form_values(self, post, choices):
        """The form's values, every id checked against the user's own company's documents."""
        env = request.env
        kind = post.get("kind") or "complaint"
        if kind not in ("complaint", "suggestion"):
            raise ValidationError(env._("Choose a complaint or a suggestion."))
        subject = (post.get("subject") or "").strip()
        if not subject:
            raise ValidationError(env._("Give your case a subject."))
        description = (post.get("description") or "").strip()
        if len(subject) > SUBJECT_MAX or len(description) > DESCRIPTION_MAX:
            raise ValidationError(env._("The subject or description is too long."))
        order = self._chosen(post.get("sale_order_id"), choices["orders"],
                             env._("That order is not one of your company's orders."))
        invoice = self._chosen(post.get("invoice_id"), choices["invoices"],
                               env._("That invoice is not one of your company's invoices."))
        category = self._chosen(post.get("category_id"), choices["categories"], env._("Unknown category."))
        product_ids = request.httprequest.form.getlist("product_ids")
        products = choices["products"].browse()
        for product_id in product_ids:
            products |= self._chosen(product_id, choices["products"],
                                     env._("That product is not one your company bought from us."))
        try:
            quantity = float(post.get("quantity_affected") or 0.0)
        except ValueError:
            raise ValidationError(env._("The quantity affected must be a number.")) from None
        if not 0 <= quantity <= MAX_QUANTITY:
            raise ValidationError(env._("The quantity affected must be between 0 and %(max)s.",
                                        max=format(MAX_QUANTITY, ",.0f")))
        company = order.company_id or invoice.company_id or env.user.company_id
        if order and invoice and order.company_id != invoice.company_id:
            raise ValidationError(env._("The order and the invoice were issued by different companies."))
        return {"kind": kind, "subject": subject, "description": description, "category_id": category.id,
                "sale_order_id": order.id, "invoice_id": invoice.id, "product_ids": products.ids,
                "quantity_affected": quantity, "company_id": company.id}

    @staticmethod
    def _chosen(raw_id, allowed, message):
        """The record of `allowed` the form named, an empty recordset for none; anything else is refused."""
        if not raw_id:
            return allowed.browse()
        try:
            record_id = int(raw_id)
        except (TypeError, ValueError):
            raise ValidationError(message) from None
        record = allowed.filtered(lambda record: record.id == record_id)
        if not record:
            raise ValidationError(message)
        return record

    def _complaint_form_attachments(self):
        """The uploaded files as (name, base64 data, mimetype), each checked for size and type,
        by its name and by its content."""
        env = request.env
        files = [file for file in request.httprequest.files.getlist("attachments") if file and file.filename]
        if len(files) > MAX_FILES:
            raise ValidationError(env._("Attach at most %(count)s files.", count=MAX_FILES))
        result = []
        for file in files:
            name = os.path.basename(file.filename)[:200]
            data = file.read(MAX_FILE_SIZE + 1)
            if len(data) > MAX_FILE_SIZE:
                raise ValidationError(env._("%(name)s is larger than %(size)s MB.", name=name,
                                            size=MAX_FILE_SIZE // (1024 * 1024)))
            if not data:
                raise ValidationError(env._("%(name)s is empty.", name=name))
            mimetype = self._attachment_mimetype(name, data)
            if not mimetype:
                raise ValidationError(env._(
                    "%(name)s: only photos (PNG, JPEG, GIF, WebP), PDF, office documents and text or CSV files "
                    "can be attached.", name=name))
            result.append((name, base64.b64encode(data), mimetype))
        return result

    @staticmethod
    def _attachment_mimetype(name, data):
        """The type stored for an upload whose name and content agree, else False."""
        extension = os.path.splitext(name)[1].lower()
        content = (guess_mimetype(data, default="application/octet-stream") or "").lower()
        if extension in IMAGE_EXTENSIONS:
            return IMAGE_EXTENSIONS[extension] if content.startswith("image/") and "svg" not in content else False
        if extension == ".pdf":
            return "application/pdf" if content == "application/pdf" else False
        if extension in OFFICE_EXTENSIONS:
            return OFFICE_EXTENSIONS[extension] if content.startswith(OFFICE_CONTENT) else False
        if extension in TEXT_EXTENSIONS:
            if not content.startswith("text/") or any(kind in content for kind in ("html", "xml", "svg")):
                return False
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return False
            return TEXT_EXTENSIONS[extension]
        return False

    # -------------------------------------------------- quality specifications

    @staticmethod
    def _spec_domain(partner):
        """The quality specifications the seller holds for the user's company (active ones)."""
        return [("partner_id", "=", partner.commercial_partner_id.id), ("active", "=", True)]

    @http.route("/my/specifications", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_specifications(self, **kw):
        # sudo: see the module docstring; the domain keeps to the user's company, and the page
        # shows the product or category, the parameters and their limits only (no internal note)
        specs = request.env["crm.customer.spec"].sudo().search(self._spec_domain(request.env.user.partner_id))
        values = self._prepare_portal_layout_values()
        values.update({"specs": specs, "page_name": "specifications"})
        return request.render("crm_industrial.portal_my_specifications", values)

    # --------------------------------------------------------------- notices

    @staticmethod
    def _notice_recipient_domain(partner, filterby="all"):
        """The notices addressed to the user's company, once sent (never a draft)."""
        domain = [("partner_id", "=", partner.commercial_partner_id.id),
                  ("notice_id.state", "in", ("published", "expired", "closed"))]
        # sudo: the company's own time zone (its partner), which portal users may not read
        today = request.env["crm.supply.notice"].sudo()._today_for(request.env.company.sudo())
        in_effect = [("notice_id.state", "=", "published"), ("notice_id.date_from", "<=", today),
                     "|", ("notice_id.date_to", "=", False), ("notice_id.date_to", ">=", today)]
        if filterby == "in_effect":
            domain = expression.AND([domain, in_effect])
        elif filterby == "past":
            domain = expression.AND([domain, ["!", *expression.normalize_domain(in_effect)]])
        elif filterby == "to_ack":
            domain = expression.AND([domain, in_effect, [("acknowledged", "=", False)]])
        return domain

    def _notice_filters(self):
        return {
            "all": {"label": request.env._("All")},
            "in_effect": {"label": request.env._("In Effect")},
            "past": {"label": request.env._("Past")},
        }

    @http.route(["/my/notices", "/my/notices/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_notices(self, page=1, filterby=None, **kw):
        filters = self._notice_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._notice_recipient_domain(request.env.user.partner_id, filterby)
        # sudo: see the module docstring; the domain keeps to the user's company
        Recipient = request.env["crm.supply.notice.recipient"].sudo()
        pager = portal_pager(url="/my/notices", total=Recipient.search_count(domain), page=page,
                             step=self._items_per_page, url_args={"filterby": filterby})
        recipients = Recipient.search(domain, order="id desc", limit=self._items_per_page, offset=pager["offset"])
        recipients = recipients.sorted(lambda recipient: recipient.notice_id.date_from, reverse=True)
        values = self._prepare_portal_layout_values()
        values.update({
            "recipients": recipients, "page_name": "notices", "pager": pager, "default_url": "/my/notices",
            "searchbar_filters": filters, "filterby": filterby,
        })
        return request.render("crm_industrial.portal_my_notices", values)

    def _notice_recipient(self, notice_id):
        """The user's company's copy of a sent notice, as the system; MissingError for any other."""
        domain = expression.AND([self._notice_recipient_domain(request.env.user.partner_id),
                                 [("notice_id", "=", notice_id)]])
        # sudo: see the module docstring; the domain keeps to the user's company
        recipient = request.env["crm.supply.notice.recipient"].sudo().search(domain, limit=1)
        if not recipient:
            raise MissingError(request.env._("This notice does not exist."))
        return recipient

    @http.route("/my/notices/<int:notice_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_notice_page(self, notice_id, **kw):
        try:
            recipient = self._notice_recipient(notice_id)
        except MissingError:
            raise request.not_found() from None
        notice = recipient.notice_id
        values = self._prepare_portal_layout_values()
        values.update({
            "recipient": recipient, "notice": notice, "page_name": "notice",
            "in_effect": notice._is_in_effect(),
            "affected_orders": self._notice_open_orders(recipient) if notice._is_in_effect() else [],
            "acknowledged_now": kw.get("acknowledged"),
            # a sentence of the reader's language ("A, B and C"; "A、B和C")
            "products_concerned": format_list(request.env, notice.with_context(active_test=False).product_ids.mapped(
                "display_name") + notice.product_category_ids.mapped("display_name")),
        })
        return request.render("crm_industrial.portal_notice_page", values)

    @http.route("/my/notices/<int:notice_id>/acknowledge", type="http", auth="user", website=True,
                methods=["POST"])
    def portal_notice_acknowledge(self, notice_id, **kw):
        """The same acknowledgement as the email's link (crm.supply.notice.recipient._acknowledge),
        recorded in the user's name; POST only, with Odoo's CSRF check."""
        try:
            recipient = self._notice_recipient(notice_id)
        except MissingError:
            raise request.not_found() from None
        if recipient.notice_id._is_in_effect():
            recipient._acknowledge(request.env.user.name)
        return request.redirect(f"/my/notices/{notice_id}?acknowledged=1")

    def _notice_open_orders(self, recipient):
        """The company's open orders touching the notice's products or categories: [(order, lines)]."""
        notice = recipient.notice_id
        products = notice.with_context(active_test=False).product_ids
        if not (products or notice.product_category_ids):
            return []
        product_domain = [("product_id", "in", products.ids)]
        if notice.product_category_ids:
            product_domain = expression.OR([product_domain, [
                ("product_id.categ_id", "child_of", notice.product_category_ids.ids)]])
        # sudo: the user's company's own orders (see _complaint_form_choices)
        lines = request.env["sale.order.line"].sudo().search(expression.AND([product_domain, [
            ("order_id.partner_id", "child_of", recipient.partner_id.id),
            ("order_id.company_id", "=", notice.company_id.id),
            ("order_id.state", "in", ("draft", "sent", "sale")), ("display_type", "=", False),
        ]]), limit=CHOICES_LIMIT)
        lines = lines.filtered(lambda line: line.order_id.state != "sale" or (
            line.qty_delivered < line.product_uom_qty and line.qty_invoiced < line.product_uom_qty))
        return [(order, order_lines) for order, order_lines in lines.grouped("order_id").items()]
