"""18.0.1.8.0: the complaint emails give the promised dates without seconds.

The email templates are noupdate data: an upgrade does not reload them. In every language of
their body, the promised dates change from the 'medium' date-time format (with seconds) to the
'short' one; a template whose body was edited by hand keeps its other changes.
"""

from odoo.tools import SQL

TEMPLATES = ("mail_template_complaint_received", "mail_template_complaint_investigating")


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("""
        UPDATE mail_template template
           SET body_html = replace(template.body_html::text, %(medium)s, %(short)s)::jsonb
          FROM ir_model_data data
         WHERE data.module = 'crm_industrial' AND data.model = 'mail.template' AND data.name IN %(names)s
           AND data.res_id = template.id
    """, medium="dt_format='medium'", short="dt_format='short'", names=TEMPLATES))
