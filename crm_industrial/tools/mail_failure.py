"""Why an email failed, in words a user can act on (pure helpers, without the ORM).

Odoo records a failed mail.mail with a technical text (``failure_reason``: an SMTP or socket error)
and, when it knows, a ``failure_type`` (mail.mail and mail.notification). A failure to reach the
mail server at all is recorded by mail.mail.send() as text only on the email (``[Errno 111]
Connection refused``), so the text is read when the type says nothing.
"""

# (key, label): the labels are what the user reads (selection labels, translated).
FAILURE_KINDS = [
    ("no_server", "No outgoing mail server is set up"),
    ("server_unreachable", "The outgoing mail server could not be reached"),
    ("recipient_refused", "The recipient's mail server refused the address"),
    ("invalid_address", "Invalid email address"),
    ("missing_address", "No email address"),
    ("sender", "Missing or invalid sender address"),
    ("cancelled", "Cancelled"),
    ("other", "Other delivery error"),
]
# Odoo's failure types (mail.mail / mail.notification failure_type) that say it all.
TYPE_KINDS = {
    "mail_email_invalid": "invalid_address",
    "mail_email_missing": "missing_address",
    "mail_from_invalid": "sender",
    "mail_from_missing": "sender",
    "mail_smtp": "server_unreachable",
    "mail_bounce": "recipient_refused",
    "mail_bl": "recipient_refused",
    "mail_optout": "recipient_refused",
}
# Lower-case marks of the technical text, most specific first.
TEXT_KINDS = [
    (("smtprecipientsrefused", "recipient address rejected", "user unknown", "mailbox unavailable",
      "no such user", "recipient refused"), "recipient_refused"),
    (("connection refused", "errno 111", "timed out", "name or service not known", "network is unreachable",
      "unable to connect", "smtpconnecterror", "smtpserverdisconnected", "no route to host",
      "temporary failure in name resolution", "connection reset"), "server_unreachable"),
    (("invalid email", "no valid recipient"), "invalid_address"),
    (("from address", "smtp_from", "sender address"), "sender"),
]


def failure_kind(failure_type, failure_reason, server_configured=True):
    """The key of FAILURE_KINDS for a failed email.

    :param failure_type: Odoo's failure type, if any (mail.mail or its notification)
    :param failure_reason: the technical text, if any
    :param server_configured: whether the database has an outgoing mail server; without one, a mail
        server that cannot be reached is the default (localhost) one, i.e. none was set up
    """
    kind = TYPE_KINDS.get(failure_type or "")
    if not kind:
        text = (failure_reason or "").lower()
        kind = next((kind for marks, kind in TEXT_KINDS if any(mark in text for mark in marks)), "other")
    if kind == "server_unreachable" and not server_configured:
        return "no_server"
    return kind
