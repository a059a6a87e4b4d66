from odoo import fields, models


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """Complaints and suggestions on the customer record."""

    _inherit = "res.partner"

    complaint_representative_id = fields.Many2one(
        "res.users", "Dedicated Complaint Representative", groups="base.group_user",
        domain=[("share", "=", False)],
        help="The customer prefers one person for its complaints: they go to this user instead of "
        "the complaint team.")
    complaint_ids = fields.One2many("crm.complaint", "partner_id", "Complaints", groups="base.group_user")
    # counted with the customer's other records in one query (res_partner_record_counts.py)
    complaint_count = fields.Integer("Open Complaints", compute="_compute_record_counts", groups="base.group_user")

    def action_open_complaints(self):
        self._ensure_one_record()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_industrial.crm_complaint_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
