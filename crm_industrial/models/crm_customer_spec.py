from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmCustomerSpec(models.Model):
    """A customer's quality standard for a product, or for every product of a category.

    A product's own specification wins over its category's; among categories, the most specific
    (deepest) one wins. Limits apply to the product's measured values (product form, Quality tab).
    """

    _name = "crm.customer.spec"
    _inherit = ["mail.thread", "crm.industrial.value.guard"]
    _description = "Customer Quality Specification"
    _order = "partner_id, product_tmpl_id, categ_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, check_company=True,
        domain=[("is_company", "=", True)], help="The customer company that imposes the specification.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    product_tmpl_id = fields.Many2one(
        "product.template", "Product", index=True, tracking=True, check_company=True,
        help="The specification applies to this product; leave empty to set it for a category.")
    categ_id = fields.Many2one(
        "product.category", "Product Category", index=True, tracking=True,
        help="The specification applies to every product of this category and its sub-categories that "
        "has no specification of its own or of a more specific category.")
    line_ids = fields.One2many("crm.customer.spec.line", "spec_id", "Parameters", copy=True)
    active = fields.Boolean(default=True, tracking=True)
    note = fields.Text(help="Where the standard comes from: contract clause, tender, laboratory method.")

    @api.depends("partner_id", "product_tmpl_id", "categ_id")
    def _compute_name(self):
        for spec in self:
            target = spec.product_tmpl_id.display_name or spec.categ_id.display_name or ""
            spec.name = f"{spec.partner_id.name or ''} - {target}"

    @api.constrains("product_tmpl_id", "categ_id", "partner_id", "company_id", "active")
    def _check_target(self):
        for spec in self:
            if bool(spec.product_tmpl_id) == bool(spec.categ_id):
                raise ValidationError(self.env._(
                    "A quality specification applies to a product or to a product category: choose one."))
            if spec.partner_id.commercial_partner_id != spec.partner_id:
                raise ValidationError(self.env._(
                    "Specifications belong to the customer company (%(company)s), not to one of its contacts.",
                    company=spec.partner_id.commercial_partner_id.display_name))
            if spec.active and self.search_count([
                ("id", "!=", spec.id), ("partner_id", "=", spec.partner_id.id),
                ("company_id", "=", spec.company_id.id),
                ("product_tmpl_id", "=", spec.product_tmpl_id.id), ("categ_id", "=", spec.categ_id.id),
            ]):
                raise ValidationError(self.env._(
                    "%(customer)s already has a specification for %(target)s: add the parameters there.",
                    customer=spec.partner_id.display_name,
                    target=(spec.product_tmpl_id or spec.categ_id).display_name))

    def _fetch_query(self, query, fields_):
        """The parameters (line_ids) are read as One2many.read() reads them, with what shows them
        (their display name's fields) and their company (what the record rule checks when they are
        read): the specification lists of the customer form and of the product show them as tags,
        which cost one query more read apart (README, "Hot screens")."""
        field = self._fields["line_ids"]
        if field not in fields_:
            return super()._fetch_query(query, fields_)
        fetched = super()._fetch_query(query, [other for other in fields_ if other != field])
        if fetched:
            lines = self.env[field.comodel_name].with_context(active_test=False).search_fetch(
                [(field.inverse_name, "in", fetched.ids)],
                [field.inverse_name, "company_id", "parameter_id", "limit_type", "min_value", "max_value"])
            by_spec = {}
            for line in lines:
                by_spec.setdefault(line.spec_id.id, []).append(line.id)
            self.env.cache.insert_missing(fetched, field, [tuple(by_spec.get(spec_id, ())) for spec_id in fetched._ids])
        return fetched

    @api.model_create_multi
    def create(self, vals_list):
        specs = super().create(vals_list)
        self._forget_customer_flags()
        return specs

    def write(self, vals):
        result = super().write(vals)
        if {"partner_id", "company_id", "active"} & set(vals):
            self._forget_customer_flags()
        return result

    def unlink(self):
        result = super().unlink()
        self._forget_customer_flags()
        return result

    def _forget_customer_flags(self):
        """The customers' "has a specification" flag is read with their figures, in one query
        (res_partner_key_account.py), not recomputed from this model: drop what is cached."""
        self.env["res.partner"].invalidate_model(["has_quality_spec"])

    @api.model
    def _specs_for(self, partners, company):
        """{partner id: specs} of these customer companies in `company`, active ones."""
        if not partners:
            return {}
        # sudo: the specification decides what may be sold; a salesperson's quotation is checked
        # against it whatever the salesperson may read (the rules restrict reading, not the check)
        # with what _applicable_spec compares: one query, not a search and a read
        specs = self.sudo().search_fetch([("partner_id", "in", partners.ids), ("company_id", "=", company.id)],
                                         ["partner_id", "product_tmpl_id", "categ_id"])
        result = {}
        for spec in specs:
            result.setdefault(spec.partner_id.id, self.sudo().browse())
            result[spec.partner_id.id] |= spec
        return result

    @api.model
    def _applicable_spec(self, specs, product):
        """The spec among `specs` that applies to `product` (product.product): its own, else the
        most specific category's."""
        template = product.product_tmpl_id
        own = specs.filtered(lambda spec: spec.product_tmpl_id == template)
        if own:
            return own[:1]
        category_ids = [int(part) for part in (product.categ_id.parent_path or "").split("/") if part]
        by_category = {spec.categ_id.id: spec for spec in specs if spec.categ_id}
        for category_id in reversed(category_ids):
            if category_id in by_category:
                return by_category[category_id]
        return specs.browse()
