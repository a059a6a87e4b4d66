"""Customer portal, 18.0.1.7.0: the complaint stages that tell the customer by email.

The stages are noupdate data: on an upgraded database, the new stage email templates are
created but not set on the existing stages. This sets them where a stage has none yet (a
template chosen by hand is kept).
"""

from odoo import SUPERUSER_ID, api

STAGE_TEMPLATES = {
    "crm_complaint_stage_new": "mail_template_complaint_received",
    "crm_complaint_stage_investigating": "mail_template_complaint_investigating",
    "crm_complaint_stage_resolved": "mail_template_complaint_resolved",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for stage_xmlid, template_xmlid in STAGE_TEMPLATES.items():
        stage = env.ref(f"crm_industrial.{stage_xmlid}", raise_if_not_found=False)
        template = env.ref(f"crm_industrial.{template_xmlid}", raise_if_not_found=False)
        if stage and template and not stage.mail_template_id:
            stage.mail_template_id = template
