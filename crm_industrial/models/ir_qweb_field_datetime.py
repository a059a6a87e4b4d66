from odoo import api, models
from odoo.tools import posix_to_ldml
from odoo.tools.misc import babel_locale_parse


class IrQwebFieldDatetime(models.AbstractModel):
    """`hide_seconds` drops the seconds in every language, as the web client's `show_seconds: false`
    does: with the language's short time format. Odoo's option only strips ":ss" from the pattern,
    which leaves the seconds of formats such as Chinese "%H时%M分%S秒"."""

    _inherit = "ir.qweb.field.datetime"

    @api.model
    def value_to_html(self, value, options):
        if options.get("hide_seconds") and not any(options.get(key) for key in ("format", "time_only", "date_only")):
            lang = self.user_lang()
            pattern = posix_to_ldml(f"{lang.date_format} {lang.short_time_format}",
                                    locale=babel_locale_parse(lang.code))
            options = {**options, "format": pattern}
        return super().value_to_html(value, options)
