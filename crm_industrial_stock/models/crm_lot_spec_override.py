from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.crm_industrial.models.crm_spec_override import QUALITY_USERS


class CrmLotSpecOverride(models.Model):
    """A quality user's decision to let a lot outside the customer's specification be delivered:
    who, when, why, for which delivery, lot and failures. The delivery-side twin of
    crm.spec.override (which covers quotation lines); never edited afterwards."""

    _name = "crm.lot.spec.override"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Lot Quality Specification Override"
    _order = "date desc, id desc"
    _check_company_auto = True

    picking_id = fields.Many2one("stock.picking", "Delivery", required=True, ondelete="cascade", index=True,
                                 check_company=True)
    lot_id = fields.Many2one("stock.lot", "Lot/Serial Number", required=True, ondelete="cascade",
                             check_company=True, help="The override covers this lot of this product only.")
    product_id = fields.Many2one("product.product", required=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    failures = fields.Text("Failed Parameters", required=True, help="What failed when the override was recorded.")
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", "Overridden by", required=True)
    date = fields.Datetime(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        """Only quality users override, and who and when are always the caller and now."""
        if not self.env.su and not self.env.user.has_group(QUALITY_USERS):
            raise AccessError(self.env._("Only quality users (Complaints: Quality / Service) can override a "
                                         "quality specification."))
        for vals in vals_list:
            if not self.env.su:
                vals.update(user_id=self.env.uid, date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("A specification override is a record: it cannot be changed."))
        return super().write(vals)
