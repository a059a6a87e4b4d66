"""Supply notices, before the module's data is loaded.

The mail template of the notice is noupdate data, but its body must change: it called a method
that rendered a valid acknowledgement link for anyone previewing the template (removed in this
version; the link is now made only while sending). Let this update reload it; the post script
makes it noupdate again."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'crm_industrial' AND name = 'mail_template_supply_notice'
    """)
