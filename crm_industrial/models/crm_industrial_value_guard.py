import math
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError

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
    selection key, a date in year 9999, an empty required field, a value for a computed field), the
    caller gets a ValidationError naming the field, never a database error or a crash in a later
    daily job. Only fields declared by crm_industrial (and its bridge addons, crm_industrial_*) are
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
        self._check_real_ids()
        self._check_field_values(vals)
        return super().write(vals)

    @api.model
    def _check_field_values(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not (field._module or "").startswith("crm_industrial"):
                continue
            if field.compute and field.readonly and not field.inverse and not self.env.su:
                # Derived data (a tier on an order, a figure): computed, never set by a caller.
                raise ValidationError(self.env._("%(field)s is computed and cannot be set.",
                                                 field=field._description_string(self.env)))
            if value is False or value is None:
                if field.required and field.type != "boolean":
                    raise ValidationError(self.env._("%(field)s is required.",
                                                     field=field._description_string(self.env)))
                continue
            if not self._field_value_is_valid(field, value):
                shown = repr(value)
                raise ValidationError(self.env._(
                    "%(field)s: %(value)s is not a valid value.",
                    field=field._description_string(self.env),
                    value=shown if len(shown) <= 40 else shown[:37] + "...",
                ))

    def _check_real_ids(self):
        """Id 0 from a client is a missing record (new records' ids are NewId, also falsy, and stay
        allowed): Odoo would otherwise read it as an empty record and fail deeper, or assert in its cache."""
        if any(type(id_) in (int, bool) and not id_ for id_ in self._ids):
            raise MissingError(self.env._("Record does not exist or has been deleted."))

    def _check_back_office_action(self):
        """Buttons that open back-office screens: internal users, on records they can read."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("This action is for internal users."))
        self.check_access("read")
        return self

    def _ensure_one_record(self):
        """Actions that work on one record say so to any client that sends several (not a ValueError)."""
        self._check_real_ids()
        self._check_back_office_action()
        if len(self) != 1:
            raise UserError(self.env._("This action works on one record at a time (%(count)s given).",
                                       count=len(self)))
        return self

    @api.model
    def _is_x2many_command(self, command):
        """A record id, or one of Odoo's Command tuples (0 CREATE ... 6 SET) with ids where ids go."""
        if isinstance(command, int) and not isinstance(command, bool):
            return 0 < command <= INT4_MAX
        if not isinstance(command, (list, tuple)) or not command or command[0] not in range(7):
            return False

        def is_id(value):
            return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT4_MAX

        kind, rest = command[0], command[1:]
        if kind in (1, 2, 3, 4) and not (rest and is_id(rest[0])):
            return False
        if kind in (0, 1) and not (len(rest) > 1 and isinstance(rest[1], dict)):
            return False
        if kind == 6 and not (len(rest) > 1 and isinstance(rest[1], (list, tuple)) and all(map(is_id, rest[1]))):
            return False
        return True

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
                moment = fields.Date.to_date(value) if field.type == "date" else fields.Datetime.to_datetime(value)
                if moment is None:  # 0, "" and the like: no date at all
                    return False
                day = moment if field.type == "date" else moment.date()
                return DATE_MIN <= day <= DATE_MAX
            if field.type in TEXT_TYPES:
                return isinstance(value, str)
            if field.type == "selection":
                field.convert_to_cache(value, self)
            if field.type in ("one2many", "many2many"):
                return isinstance(value, (list, tuple)) and all(map(self._is_x2many_command, value))
        except (TypeError, ValueError, OverflowError):
            return False
        return True
