from odoo import http
from odoo.http import request

ACK_ROUTE = "/supply-notice/ack/<int:recipient_id>/<string:token>"


class SupplyNoticeController(http.Controller):
    """Acknowledging a supply notice from its email, without an Odoo login.

    Opening the link (GET) only shows the notice: mail scanners open every link. The customer
    acknowledges with the page's button (POST, CSRF-protected)."""

    @http.route(ACK_ROUTE, type="http", auth="public", methods=["GET", "POST"], csrf=True, sitemap=False)
    def acknowledge(self, recipient_id, token, **kwargs):
        """GET shows the notice; POST (Odoo checks its CSRF token first) records the acknowledgement."""
        recipient, outcome, status = self._check(recipient_id, token)
        if outcome == "open":
            if request.httprequest.method == "POST":
                name = (kwargs.get("name") or "").strip()[:128]
                outcome = "done" if recipient._acknowledge(name) else "already"
            else:
                outcome = "already" if recipient.acknowledged else "confirm"
        return self._render(recipient, token, outcome, status)

    def _check(self, recipient_id, token):
        # sudo: the customer has no login; the token (checked below) proves who it is.
        recipient = request.env["crm.supply.notice.recipient"].sudo().browse(recipient_id).exists()
        if not recipient or not recipient._check_ack_token(token):
            # An empty recordset: nothing of any recipient is shown for a bad link.
            return request.env["crm.supply.notice.recipient"].sudo(), "invalid", 404
        if not recipient.notice_id._is_in_effect():
            return recipient, "expired", 410
        return recipient, "open", 200

    def _render(self, recipient, token, outcome, status):
        lang = recipient.lang or recipient.company_id.partner_id.lang
        if lang:
            request.update_context(lang=lang)
            recipient = recipient.with_context(lang=lang)
        notice = recipient.notice_id
        company = recipient.company_id
        # Whom the customer calls: its salesperson when there is one, else the company.
        salesperson = recipient.partner_id.user_id
        return request.render("crm_industrial.supply_notice_ack_page", {
            "outcome": outcome,
            "recipient": recipient,
            "notice": notice,
            "company": company,
            "contact_name": salesperson.name if salesperson else company.name,
            "contact_phone": (salesperson.phone or salesperson.mobile) if salesperson else company.phone,
            "contact_email": (salesperson.email if salesperson else False) or company.email,
            "action_url": recipient._ack_path(token) if recipient else False,
        }, status=status)
