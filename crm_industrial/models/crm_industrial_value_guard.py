import math
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# PostgreSQL's int4, which Odoo uses for Integer fields and record ids.
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
# No amount, quantity or measure in this business comes near a thousand billion.
FLOAT_LIMIT = 1e15
# Dates people type: far enough for history and plans, near enough for date arithmetic in daily jobs.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)
TEXT_TYPES = ("char", "text", "html")


class CrmIndustrialValueGuard(models.AbstractModel):
    """Values of the addon's fields are checked before they reach the database.

    Whatever a client sends (a string for a number, a number past PostgreSQL's integer, an unknown
    selection key, a date in year 9999), the caller gets a ValidationError naming the field, never a
    database error or a crash in a later daily job. Only fields declared by crm_industrial are
    checked, so Odoo's own fields on the models it extends keep Odoo's behaviour.
    """

    _name = "crm.industrial.value.guard"
    _description = "Checked Field Values"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_field_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_field_values(vals)
        return super().write(vals)

    @api.model
    def _check_field_values(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or field._module != "crm_industrial" or value is False or value is None:
                continue
            if not self._field_value_is_valid(field, value):
                shown = repr(value)
                raise ValidationError(self.env._(
                    "%(field)s: %(value)s is not a valid value.",
                    field=field._description_string(self.env),
                    value=shown if len(shown) <= 40 else shown[:37] + "...",
                ))

    @api.model
    def _field_value_is_valid(self, field, value):
        try:
            if field.type == "integer":
                return INT4_MIN <= int(value) <= INT4_MAX
            if field.type in ("float", "monetary"):
                number = float(value)
                return math.isfinite(number) and abs(number) < FLOAT_LIMIT
            if field.type == "many2one":
                return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT4_MAX
            if field.type in ("date", "datetime"):
                day = fields.Date.to_date(value) if field.type == "date" else fields.Datetime.to_datetime(value).date()
                return DATE_MIN <= day <= DATE_MAX
            if field.type in TEXT_TYPES:
                return isinstance(value, str)
            if field.type == "selection":
                field.convert_to_cache(value, self)
        except (TypeError, ValueError, OverflowError):
            return False
        return True
