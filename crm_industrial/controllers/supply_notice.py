from odoo import fields, http
from odoo.http import request


class SupplyNoticeController(http.Controller):
    """Acknowledging a supply notice from its email, without an Odoo login."""

    @http.route("/supply-notice/ack/<int:recipient_id>/<string:token>", type="http", auth="public",
                methods=["GET"], sitemap=False)
    def acknowledge(self, recipient_id, token, **kwargs):
        recipient = request.env["crm.supply.notice.recipient"].sudo().browse(recipient_id).exists()
        if not recipient or not recipient._check_ack_token(token):
            return request.render("crm_industrial.supply_notice_ack_page", {"outcome": "invalid"}, status=404)
        notice = recipient.notice_id
        if notice.state != "published" or (notice.date_to and notice.date_to < fields.Date.today()):
            return request.render("crm_industrial.supply_notice_ack_page",
                                  {"outcome": "expired", "notice": notice}, status=410)
        outcome = "done" if recipient._acknowledge(kwargs.get("name")) else "already"
        return request.render("crm_industrial.supply_notice_ack_page",
                              {"outcome": outcome, "notice": notice, "recipient": recipient})
