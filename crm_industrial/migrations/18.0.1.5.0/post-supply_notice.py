"""Supply notices, after the module's data is loaded (18.0.1.5.0).

- the notice's mail template (noupdate data) is reloaded from the data file, and its translated
  bodies dropped: the old body called a method that rendered a valid acknowledgement link for
  anyone previewing the template (removed: the link is now made only while sending);
- recipients get the multi-company record rule (created by the data file when missing: make sure)
  and their stored company;
- notices already sent get their first publication date: what was sent is now frozen;
- recipients already sent are linked to their email, so their status follows the real email,
  and keep working acknowledgement links: the hash of the token their email carries is stored.
"""
import hashlib

from lxml import etree

from odoo import SUPERUSER_ID, api, tools
from odoo.tools import file_open
from odoo.tools.convert import xml_import

LEGACY_ACK_SCOPE = "crm_industrial-supply-notice-ack"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _reload_mail_template(env)
    _ensure_recipient_company_rule(env)
    cr.execute("""
        UPDATE crm_supply_notice_recipient recipient SET company_id = notice.company_id
          FROM crm_supply_notice notice
         WHERE notice.id = recipient.notice_id AND recipient.company_id IS DISTINCT FROM notice.company_id
    """)
    cr.execute("""
        UPDATE crm_supply_notice notice
           SET published_date = COALESCE(
                   (SELECT MIN(recipient.sent_date)::timestamp FROM crm_supply_notice_recipient recipient
                     WHERE recipient.notice_id = notice.id), notice.write_date)
         WHERE notice.published_date IS NULL
           AND (notice.state != 'draft' OR EXISTS (
                SELECT 1 FROM crm_supply_notice_recipient recipient
                 WHERE recipient.notice_id = notice.id AND recipient.sent_date IS NOT NULL))
    """)
    # Recipients whose email could not be queued (no address) were marked failed.
    cr.execute("""
        UPDATE crm_supply_notice_recipient SET send_error_local = 'No email address.'
         WHERE send_status = 'failed' AND sent_date IS NULL AND send_error_local IS NULL
    """)
    cr.execute("""
        UPDATE crm_supply_notice_recipient recipient
           SET mail_id = (SELECT MAX(mail.id) FROM mail_mail mail
                            JOIN mail_message message ON message.id = mail.mail_message_id
                           WHERE message.model = 'crm.supply.notice.recipient' AND message.res_id = recipient.id)
         WHERE recipient.mail_id IS NULL AND recipient.sent_date IS NOT NULL
    """)
    cr.execute("SELECT id FROM crm_supply_notice_recipient WHERE sent_date IS NOT NULL AND ack_token_hash IS NULL")
    for (recipient_id,) in cr.fetchall():
        legacy_token = tools.hmac(env, LEGACY_ACK_SCOPE, recipient_id)
        cr.execute("UPDATE crm_supply_notice_recipient SET ack_token_hash = %s WHERE id = %s",
                   (hashlib.sha256(legacy_token.encode()).hexdigest(), recipient_id))
    Recipient = env["crm.supply.notice.recipient"].with_context(active_test=False)
    recipients = Recipient.search([])
    env.invalidate_all()
    for fname in ("send_status", "send_error"):
        env.add_to_compute(Recipient._fields[fname], recipients)
    recipients._recompute_recordset()
    env.flush_all()


def _ensure_recipient_company_rule(env):
    if env.ref("crm_industrial.crm_supply_notice_recipient_rule_company", raise_if_not_found=False):
        return
    rule = env["ir.rule"].create({
        "name": "Supply-notice recipients: allowed companies",
        "model_id": env["ir.model"]._get_id("crm.supply.notice.recipient"),
        "domain_force": "[('company_id', 'in', company_ids)]",
    })
    env["ir.model.data"].create({
        "module": "crm_industrial", "name": "crm_supply_notice_recipient_rule_company",
        "model": "ir.rule", "res_id": rule.id, "noupdate": True,
    })


def _reload_mail_template(env):
    """Load the template's record from the data file as on install (noupdate data is not updated)."""
    with file_open("crm_industrial/data/crm_supply_notice_data.xml", "rb") as data_file:
        tree = etree.parse(data_file)
    record = tree.find(".//record[@id='mail_template_supply_notice']")
    root = etree.Element("odoo")
    etree.SubElement(root, "data", noupdate="1").append(record)
    xml_import(env, "crm_industrial", {}, mode="init", noupdate=True).parse(root)
    # Translated bodies still call the removed method: drop them; the module's translations,
    # loaded right after this script, bring the new ones (English until then).
    template = env.ref("crm_industrial.mail_template_supply_notice")
    env.flush_all()
    env.cr.execute("""
        UPDATE mail_template SET body_html = jsonb_build_object('en_US', body_html -> 'en_US') WHERE id = %s
    """, [template.id])
    template.invalidate_recordset(["body_html"])
