from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

# The most cases one portal user may file in an hour: enough for a real problem, not for a flood.
PORTAL_HOURLY_LIMIT = 5


class CrmComplaint(models.Model):
    """The customer's side of a complaint: Odoo's customer portal (/my/complaints).

    Portal users get no access right on complaints (over RPC they still reach nothing of the
    addon): the portal controller reads their company's cases as the system, always through
    _portal_domain, and files new ones through _portal_file, the same create() as the back office.
    """

    _name = "crm.complaint"
    _inherit = ["crm.complaint", "portal.mixin"]

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name

    @api.model
    def _portal_domain(self, partner):
        """The cases a portal user's company may see: its own, once their customer is confirmed."""
        return [("partner_id", "child_of", partner.commercial_partner_id.id), ("to_triage", "=", False)]

    def _portal_sla_kept(self, deadline_field, done_field):
        """For the customer: 'kept', 'missed', 'late' (still open past the date) or 'pending'."""
        self.ensure_one()
        deadline, done = self[deadline_field], self[done_field]
        if not deadline:
            return "pending"
        if done:
            return "kept" if done <= deadline else "missed"
        return "late" if deadline < fields.Datetime.now() else "pending"

    @api.model
    def _portal_check_throttle(self, user):
        """A flood of portal submissions from one user is refused with a clear message."""
        since = fields.Datetime.now() - timedelta(hours=1)
        # sudo: portal users have no access right on complaints; only their own filings are counted
        count = self.sudo().search_count([("create_uid", "=", user.id), ("channel", "=", "portal"),
                                          ("create_date", ">=", since)])
        if count >= PORTAL_HOURLY_LIMIT:
            raise UserError(self.env._(
                "You have filed %(count)s cases in the last hour. Please wait a little before filing another "
                "one, or call us if it is urgent.", count=count))

    @api.model
    def _portal_file(self, user, values, attachments):
        """File a case for a portal user's company, through the same create() as the back office.

        `values` were checked by the portal controller (ids of the user's own company only);
        `attachments` is a list of (name, data, mimetype) already checked for size and type.
        """
        self._portal_check_throttle(user)
        partner = user.partner_id
        vals = {
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner != partner.commercial_partner_id else False,
            "channel": "portal",
            "kind": values["kind"],
            "subject": values["subject"],
            "category_id": values.get("category_id") or False,
            "sale_order_id": values.get("sale_order_id") or False,
            "invoice_id": values.get("invoice_id") or False,
            "product_ids": [fields.Command.set(values.get("product_ids") or [])],
            "quantity_affected": values.get("quantity_affected") or 0.0,
            "description": plaintext2html(values.get("description") or ""),
            "company_id": values["company_id"],
            # the first stage, given explicitly: its email tells the customer the case was received
            # sudo: stages are configuration, which portal users may not read; only the first stage's id
            "stage_id": self.env["crm.complaint.stage"].sudo().search([], limit=1).id,
        }
        # sudo: portal users have no access right on complaints (nothing of the addon over RPC); the
        # controller checked every id against the user's own company. sudo() keeps the user: the case
        # is created by them, its messages are authored by their partner, and routing, SLA and
        # escalation run in the same create() as for a case typed in the back office.
        complaint = self.sudo().create(vals)
        # The customer follows its case; someone internal is told at once: the responsible the routing
        # chose (already a follower), else the complaint team's manager.
        internal = complaint.user_id.partner_id or complaint.team_id.user_id.partner_id
        complaint.message_subscribe(partner_ids=(partner | internal).ids)
        records = self.env["ir.attachment"]
        if attachments:
            # sudo: portal users may not create attachments; pending ones of the user's own (as the
            # portal chatter uploads them), which message_post then links to the case
            records = records.sudo().create([{
                "name": name, "datas": data, "mimetype": mimetype, "res_model": "mail.compose.message", "res_id": 0,
            } for name, data, mimetype in attachments])
        complaint.message_post(
            body=Markup("<p>%s</p>") % self.env._("Filed from the customer portal."),
            attachment_ids=records.ids, message_type="comment", subtype_xmlid="mail.mt_comment")
        return complaint.with_env(self.env)

    def _track_template(self, changes):
        """The customer hears of the stage changes that matter to it: the stage's email template,
        as project's portal does with its stages (sent through Odoo's tracking)."""
        res = super()._track_template(changes)
        complaint = self[0]
        template = complaint.stage_id.mail_template_id
        if "stage_id" in changes and template and complaint.partner_id:
            res["stage_id"] = (template, {
                "auto_delete_keep_log": False,
                "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                "email_layout_xmlid": "mail.mail_notification_light",
            })
        return res
