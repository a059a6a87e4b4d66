from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_repr

LIMIT_TYPES = [("min", "At Least"), ("max", "At Most"), ("range", "Between")]


class CrmCustomerSpecLine(models.Model):
    """One parameter of a quality specification, with its limits in the parameter's unit."""

    _name = "crm.customer.spec.line"
    _inherit = ["crm.industrial.value.guard"]
    _description = "Quality Specification Parameter"
    _order = "spec_id, sequence, id"
    _check_company_auto = True

    spec_id = fields.Many2one("crm.customer.spec", "Specification", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="spec_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    parameter_id = fields.Many2one("crm.quality.parameter", required=True, check_company=True)
    unit = fields.Char(related="parameter_id.unit")
    limit_type = fields.Selection(
        LIMIT_TYPES, "Limit", required=True, default="max",
        help="At Least: the measured value must not be below the minimum. At Most: not above the "
        "maximum. Between: both.")
    min_value = fields.Float("Minimum", digits=(16, 4))
    max_value = fields.Float("Maximum", digits=(16, 4))

    _sql_constraints = [
        ("parameter_unique", "UNIQUE(spec_id, parameter_id)", "A parameter appears once in a specification."),
    ]

    @api.constrains("limit_type", "min_value", "max_value")
    def _check_limits(self):
        for line in self:
            if line.min_value < 0 or line.max_value < 0:
                raise ValidationError(self.env._(
                    "%(parameter)s: limits cannot be negative.", parameter=line.parameter_id.display_name))
            if line.limit_type == "range" and float_compare(line.min_value, line.max_value, 4) > 0:
                raise ValidationError(self.env._(
                    "%(parameter)s: the minimum (%(min)s) is above the maximum (%(max)s).",
                    parameter=line.parameter_id.display_name, min=line.min_value, max=line.max_value))

    @api.depends("parameter_id", "limit_type", "min_value", "max_value")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.parameter_id.name or ''} {line._limit_text()}".strip()

    def _has_min(self):
        return self.limit_type in ("min", "range")

    def _has_max(self):
        return self.limit_type in ("max", "range")

    def _limit_text(self):
        self.ensure_one()
        if self.limit_type == "min":
            return f"≥ {_measure(self.min_value, self.unit)}"
        if self.limit_type == "max":
            return f"≤ {_measure(self.max_value, self.unit)}"
        return f"{_measure(self.min_value, self.unit)} - {_measure(self.max_value, self.unit)}"

    def _failure(self, value):
        """None when `value` (a float, or None when not measured) meets this limit, else the text
        saying by how much it fails, in the environment's language."""
        self.ensure_one()
        _ = self.env._
        name, unit = self.parameter_id.name, self.unit
        if value is None:
            return _("%(parameter)s: not measured (required %(limit)s)", parameter=name, limit=self._limit_text())
        # each figure carries its unit: "1.1 %, 0.3 % above the maximum 0.8 %"
        if self._has_min() and float_compare(value, self.min_value, 4) < 0:
            return _("%(parameter)s: %(value)s, %(gap)s below the minimum %(limit)s",
                     parameter=name, value=_measure(value, unit), gap=_measure(self.min_value - value, unit),
                     limit=_measure(self.min_value, unit))
        if self._has_max() and float_compare(value, self.max_value, 4) > 0:
            return _("%(parameter)s: %(value)s, %(gap)s above the maximum %(limit)s",
                     parameter=name, value=_measure(value, unit), gap=_measure(value - self.max_value, unit),
                     limit=_measure(self.max_value, unit))
        return None


def _measure(value, unit):
    """A measure and its unit: "0.8 %", "5500 kcal/kg"; the bare figure when the parameter has no unit."""
    return f"{_num(value)} {unit}" if unit else _num(value)


def _num(value):
    """A measure without trailing zeros: 0.8, 5500, 0.35."""
    text = float_repr(value, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text
