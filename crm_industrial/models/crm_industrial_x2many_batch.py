from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL

# the field classes whose read() this file repeats: subclasses may read otherwise
READ_TOGETHER = (fields.One2many, fields.Many2many)


class CrmIndustrialX2manyBatch(models.AbstractModel):
    """A form's lists read in one query: the web client reads a record with every one2many and
    many2many of its form at once (a customer's contacts, buying center, buying roles, missing key
    roles, tags, bank accounts, insights, specifications, whitespace; a quotation's lines, options,
    documents, tags, held-order and specification-override lists), which Odoo reads with one query
    per field (README, "Hot screens"). Each field's lines are found as the field's own read() finds
    them (its domain and context, no active test, the comodel's order, the record rules of the user;
    a one2many's search checks the user's access to the comodel as well), in one UNION. Used by
    res.partner and sale.order."""

    _name = "crm.industrial.x2many.batch"
    _description = "Form Lists Read Together"

    def _fetch_query(self, query, fields_):
        together = [field for field in fields_ if type(field) in READ_TOGETHER]
        if len(together) < 2:
            return super()._fetch_query(query, fields_)
        fetched = super()._fetch_query(query, [field for field in fields_ if field not in together])
        if fetched:
            fetched._read_x2many_together(together)
        return fetched

    def _read_x2many_together(self, x2many_fields):
        """Put in cache the values of `x2many_fields` (One2many and Many2many fields of this model)
        for these records, as each field's read() would, from one query: a one2many's lines with
        their inverse field and their active flag, as its search_fetch() reads them."""
        parts = [part for part in (self._x2many_lines_sql(field, index) for index, field in enumerate(x2many_fields))
                 if part is not None]
        lines = defaultdict(list)
        line_values = defaultdict(dict)  # {index: {line id: (record id, active)}}
        if parts:
            rows = self.env.execute_query(SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts))
            # each field's lines in its comodel's order (the rank within the field's own query)
            for index, record_id, line_id, _rank, active in sorted(rows, key=lambda row: (row[0], row[3])):
                lines[index, record_id].append(line_id)
                line_values[index][line_id] = (record_id, active)
        cache = self.env.cache
        for index, field in enumerate(x2many_fields):
            cache.insert_missing(self, field, [tuple(lines[index, record_id]) for record_id in self._ids])
            if field.type == "one2many" and line_values[index]:
                comodel = self.env[field.comodel_name]
                found = comodel.browse(list(line_values[index]))
                cache.insert_missing(found, comodel._fields[field.inverse_name],
                                     [record_id for record_id, _active in line_values[index].values()])
                if comodel._active_name:
                    cache.insert_missing(found, comodel._fields[comodel._active_name],
                                         [active for _record_id, active in line_values[index].values()])

    def _x2many_lines_sql(self, field, index):
        """SQL rows (index, record id, line id, rank, active) of the lines of `field` of these
        records, as One2many.read() and Many2many.read() find them (active: a one2many's line's
        active flag, else NULL); None when the field has no line."""
        comodel = self.env[field.comodel_name].with_context(**{"active_test": False, **field.context})
        active = SQL("NULL::bool")
        if field.type == "one2many":
            # One2many.read(): search_fetch() of the lines with their inverse and active fields (the
            # user may read them), in the comodel's order
            names = [field.inverse_name, *([comodel._active_name] if comodel._active_name else [])]
            comodel.check_field_access_rights("read", names)
            query = comodel._search(field.get_domain_list(self) + [(field.inverse_name, "in", self.ids)],
                                    order=comodel._order)
            if query.is_empty():
                return None
            record_id = comodel._field_to_sql(query.table, field.inverse_name, query)
            if comodel._active_name:
                active = comodel._field_to_sql(query.table, comodel._active_name, query)
        else:
            # Many2many.read(): the lines the user may read, joined with the relation table
            query = comodel._where_calc(field.get_domain_list(self))
            comodel._apply_ir_rules(query, "read")
            query.order = comodel._order_to_sql(comodel._order, query)
            record_id = SQL.identifier(field.relation, field.column1)
            query.add_join("JOIN", field.relation, None, SQL(
                "%s = %s", SQL.identifier(field.relation, field.column2), SQL.identifier(comodel._table, "id")))
            query.add_where(SQL("%s IN %s", record_id, tuple(self.ids)))
        order, query.order = query.order or SQL.identifier(query.table, "id"), None
        return query.select(SQL("%s", index), record_id, SQL.identifier(query.table, "id"),
                            SQL("ROW_NUMBER() OVER (ORDER BY %s)", order), active)
