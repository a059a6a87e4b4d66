/**
 * A float stored as a percentage from 0 to 100 (not a 0-1 ratio, which Odoo's own
 * "percentage" widget expects), shown with its % sign. Only the display changes:
 * the stored value is the same, and the input shows the bare number while editing.
 */
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/views/fields/formatters";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

export function formatPercentValue(value, options = {}) {
    const formatted = formatFloat(value, options);
    return formatted === "" ? formatted : `${formatted}%`;
}

export class PercentValueField extends FloatField {
    get formattedValue() {
        const formatted = super.formattedValue;
        return this.props.readonly && formatted !== "" ? `${formatted}%` : formatted;
    }
}

export const percentValueField = {
    ...floatField,
    component: PercentValueField,
    displayName: _t("Percentage (0-100)"),
};

registry.category("fields").add("crm_industrial_percent", percentValueField);
// Used by list footers (sum/avg) for columns shown with this widget.
registry.category("formatters").add("crm_industrial_percent", formatPercentValue);
