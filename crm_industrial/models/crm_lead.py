from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    buying_center_contact_ids = fields.Many2many(
        "res.partner", "crm_lead_buying_center_contact_rel", "lead_id", "partner_id",
        "Involved Contacts",
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('is_company', '=', False)]",
        help="The customer's people taking part in this deal.")
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    missing_key_role_ids = fields.Many2many(
        "crm.buying.role", compute="_compute_missing_key_role_ids", string="Key Roles Not Involved",
        help="Key buying roles that none of the involved contacts holds, shown when the customer is a "
        "key account (its tier is flagged Key Account) or has a buying center (contacts with buying roles), "
        "unless it is in the inactive tier.")

    @api.depends("partner_id", "company_id", "buying_center_contact_ids.buying_role_ids")
    def _compute_missing_key_role_ids(self):
        key_roles = self.env["crm.buying.role"].search([("key_role", "=", True)])
        for lead in self:
            if not lead._expects_key_roles():
                lead.missing_key_role_ids = False
                continue
            roles = key_roles.filtered(
                lambda role: not role.company_id or role.company_id == lead.company_id)  # noqa: B023
            lead.missing_key_role_ids = roles - lead.buying_center_contact_ids.buying_role_ids

    def _expects_key_roles(self):
        """Whether this deal's customer is a key account or has a buying center, and is not in the
        inactive tier (key_account_inactive: no warning for customers we no longer work with)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if not customer:
            return False
        # sudo: only whether the customer is a key account, inactive or has buying roles is used, not shown
        customer = customer.with_company(self.company_id or self.env.company).sudo()
        if customer.key_account_inactive:
            return False
        return bool(customer.key_account_tier_id.is_key_account or customer.buying_center_ids)
