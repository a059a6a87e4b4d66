from odoo import api, fields, models
from odoo.exceptions import AccessError

SPEC_EDITORS = ("crm_industrial.group_complaint_user", "sales_team.group_sale_manager")


# One file per pillar of the customer record (see res_partner_supply_notice.py).
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """A customer's quality specifications and whether its orders must comply with them."""

    _inherit = "res.partner"

    spec_compliance_required = fields.Boolean(
        "Requires Specification Compliance", company_dependent=True, copy=False, groups="base.group_user",
        help="Orders of this customer whose products fail its quality specifications cannot be confirmed "
        "unless a quality user overrides them with a reason. Set by quality users and sales managers.")
    has_quality_spec = fields.Boolean(
        "Has Quality Specifications", compute="_compute_key_account_figures", groups="base.group_user",
        help="The customer company has an active quality specification in the current company: its order "
        "lines are checked against it.")
    customer_spec_ids = fields.One2many(
        "crm.customer.spec", "partner_id", "Quality Specifications", groups="base.group_user",
        domain=lambda self: [("company_id", "=", self.env.company.id)])

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("spec_compliance_required") for vals in vals_list):
            self._check_spec_editor()
        return super().create(vals_list)

    def write(self, vals):
        if "spec_compliance_required" in vals:
            self._check_spec_editor()
            if set(vals) == {"spec_compliance_required"} and not self.env.su:
                self.check_access("read")
                # sudo: quality users set this one flag on customers they can read, though they may
                # edit no other customer data (the check above allows only them and sales managers)
                return super(ResPartner, self.sudo()).write(vals)
        return super().write(vals)

    def _check_spec_editor(self):
        if not self.env.su and not any(self.env.user.has_group(group) for group in SPEC_EDITORS):
            raise AccessError(self.env._(
                "Only quality users and sales managers decide whether a customer requires its quality "
                "specifications."))
