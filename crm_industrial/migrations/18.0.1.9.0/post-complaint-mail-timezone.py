"""18.0.1.9.0: the complaint e-mails give the promised dates in the customer's time zone, named.

They formatted the dates in the contact's time zone, and for a contact without one in that of the
user or job sending the e-mail, without saying which. crm.complaint._promise_time() now uses the
contact's time zone, else that of the company's working calendar the deadline was planned on, and
names it. The templates are noupdate data: in every language of their body, the date expression
is replaced; a template whose body was edited by hand keeps its other changes.
"""

from odoo.tools import SQL

TEMPLATES = ("mail_template_complaint_received", "mail_template_complaint_investigating")
EXPRESSIONS = {
    f"format_datetime(object.{field}, tz=object._rating_get_partner().tz, dt_format='short')":
        f"object._promise_time(object.{field})"
    for field in ("response_deadline", "resolution_deadline")
}


def migrate(cr, version):
    if not version:
        return
    for old, new in EXPRESSIONS.items():
        cr.execute(SQL("""
            UPDATE mail_template template
               SET body_html = replace(template.body_html::text, %(old)s, %(new)s)::jsonb
              FROM ir_model_data data
             WHERE data.module = 'crm_industrial' AND data.model = 'mail.template' AND data.name IN %(names)s
               AND data.res_id = template.id
        """, old=old, new=new, names=TEMPLATES))
