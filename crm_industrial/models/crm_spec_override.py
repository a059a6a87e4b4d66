from odoo import api, fields, models
from odoo.exceptions import AccessError

QUALITY_USERS = "crm_industrial.group_complaint_user"


class CrmSpecOverride(models.Model):
    """A quality user's decision to let an order line outside the customer's specification be
    confirmed: who, when, why, for which line and which failures. Never edited afterwards."""

    _name = "crm.spec.override"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Quality Specification Override"
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True,
                               check_company=True)
    line_id = fields.Many2one("sale.order.line", "Order Line", required=True, ondelete="cascade", index=True,
                              check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    product_id = fields.Many2one("product.product", required=True,
                                 help="The override covers the line while it sells this product.")
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
