"""The demo story's sales history: 25 months of orders, invoices and payments.

The customers and products live in demo/crm_industrial_demo.xml; this module only
turns SALES_PLAN below into confirmed sales orders, posted invoices and registered
payments, dated relative to today so the story always looks current.

Everything is deterministic: each customer draws from its own random generator
seeded with its xml id, so the story does not depend on the order customers are
processed in, nor on other customers being added or removed. Later features can
extend the story by adding keys to a customer's plan (and reading them in an
override of one of the small methods below).
"""

import csv
import logging
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from markupsafe import Markup
from markupsafe import escape as html_escape

from odoo import Command, api, fields, models
from odoo.tools import SQL, file_path, html2plaintext
from odoo.tools.translate import code_translations

_logger = logging.getLogger(__name__)

MODULE = "crm_industrial"
# A little over 24 months: the figures compare the last 12 months with the 12 before, which
# must be covered in full or every customer looks like it is growing.
HISTORY_DAYS = 760
DECLINE_STARTS = 0.35  # share of the story after which a "declining" customer fades

# How each demo customer buys and pays. Keys of a plan:
#   interval   (min, max) days between two orders
#   products   product xml id -> (min, max) tonnes per order line
#   lines      (min, max) number of different products on one order
#   price      (min, max) factor on the list price (contract discounts, market swings)
#   payment    a key of PAYMENT_BEHAVIOURS
#   trend      "steady", "growing" or "declining" (see _trend_factors)
#   stop_days  no orders in the last N days (optional)
#   season     month -> quantity factor (optional)
#   po_prefix  prefix of the customer's purchase order numbers
SALES_PLAN = {
    # State power plant: a big thermal coal order every month, more before winter.
    "partner_power_plant_demo": {
        "interval": (28, 32),
        "products": {"product_thermal_coal_5500_demo": (3500, 5500)},
        "lines": (1, 1),
        "price": (0.93, 0.97),
        "payment": "on_time",
        "trend": "steady",
        "season": {11: 1.25, 12: 1.35, 1: 1.3, 2: 1.1},
        "po_prefix": "JNP",
    },
    # Steel and cement group: coking coal plus boiler coal every 5-6 weeks.
    "partner_steel_cement_demo": {
        "interval": (35, 45),
        "products": {
            "product_coking_coal_demo": (1500, 3000),
            "product_thermal_coal_5500_demo": (800, 1600),
        },
        "lines": (1, 2),
        "price": (0.95, 0.99),
        "payment": "mostly_on_time",
        "trend": "steady",
        "po_prefix": "HD",
    },
    # Chemical manufacturer: acid and caustic soda every 3-5 weeks, growing with its new line.
    "partner_haiyang_chemical_demo": {
        "interval": (24, 36),
        "products": {
            "product_sulphuric_acid_98_demo": (200, 450),
            "product_caustic_soda_32_demo": (150, 350),
        },
        "lines": (1, 2),
        "price": (0.97, 1.02),
        "payment": "on_time",
        "trend": "growing",
        "po_prefix": "HY",
    },
    # PVC pipe maker: resin every month, pays one to two months late.
    "partner_pvc_pipes_demo": {
        "interval": (26, 40),
        "products": {"product_pvc_resin_sg5_demo": (60, 160)},
        "lines": (1, 1),
        "price": (0.98, 1.03),
        "payment": "late",
        "trend": "steady",
        "po_prefix": "LS",
    },
    # Float glass maker: frequent big soda ash orders a year ago, fading, nothing lately.
    "partner_glass_works_demo": {
        "interval": (14, 20),
        "products": {"product_soda_ash_demo": (500, 900)},
        "lines": (1, 1),
        "price": (0.95, 0.99),
        "payment": "on_time",
        "trend": "declining",
        "stop_days": 100,
        "po_prefix": "RF",
    },
    # Fertiliser maker: sulphuric acid ahead of the planting seasons.
    "partner_fertiliser_demo": {
        "interval": (35, 55),
        "products": {"product_sulphuric_acid_98_demo": (1200, 2500)},
        "lines": (1, 1),
        "price": (0.94, 0.99),
        "payment": "mostly_on_time",
        "trend": "steady",
        "season": {2: 1.4, 3: 1.3, 8: 1.3, 9: 1.2, 6: 0.7, 12: 0.7},
        "po_prefix": "DC",
    },
    # Paper mill: caustic soda for pulping, boiler coal.
    "partner_paper_mill_demo": {
        "interval": (35, 55),
        "products": {
            "product_caustic_soda_32_demo": (100, 250),
            "product_thermal_coal_5500_demo": (400, 900),
        },
        "lines": (1, 2),
        "price": (0.98, 1.02),
        "payment": "on_time",
        "trend": "steady",
        "po_prefix": "JL",
    },
    # Municipal water company: small tender lots every two months, always on time.
    "partner_water_treatment_demo": {
        "interval": (55, 65),
        "products": {
            "product_caustic_soda_32_demo": (40, 80),
            "product_sulphuric_acid_98_demo": (30, 60),
        },
        "lines": (2, 2),
        "price": (1.0, 1.0),
        "payment": "on_time",
        "trend": "steady",
        "po_prefix": "ZZW",
    },
    # Chemical distributor: irregular mixed orders, often a little late.
    "partner_chem_distributor_demo": {
        "interval": (25, 70),
        "products": {
            "product_caustic_soda_flakes_demo": (40, 120),
            "product_caustic_soda_32_demo": (100, 300),
            "product_pvc_resin_sg5_demo": (30, 90),
            "product_soda_ash_demo": (80, 200),
        },
        "lines": (1, 3),
        "price": (0.92, 0.97),
        "payment": "mostly_on_time",
        "trend": "growing",
        "po_prefix": "PR",
    },
    # Port coal trader: big opportunistic orders when the spread is right, pays fast; a competitor
    # opened a stockyard at the port a little over a year ago, and nothing since (an inactive customer).
    "partner_coal_trader_demo": {
        "interval": (20, 95),
        "products": {
            "product_thermal_coal_5500_demo": (3000, 8000),
            "product_anthracite_demo": (500, 1500),
        },
        "lines": (1, 2),
        "price": (0.90, 0.96),
        "payment": "on_time",
        "trend": "steady",
        "stop_days": 420,
        "po_prefix": "BH",
    },
    # Industrial supplies distributor: small frequent chemical orders; it has never complained,
    # but pays later and later (silent dissatisfaction).
    "partner_industrial_supplies_demo": {
        "interval": (20, 40),
        "products": {
            "product_caustic_soda_flakes_demo": (10, 40),
            "product_sulphuric_acid_98_demo": (20, 60),
        },
        "lines": (1, 2),
        "price": (1.0, 1.05),
        "payment": "later_and_later",
        "trend": "steady",
        "po_prefix": "NB",
    },
    # Small coal trader: small irregular orders, stopped paying a few months ago.
    "partner_small_trader_demo": {
        "interval": (30, 60),
        "products": {
            "product_anthracite_demo": (60, 150),
            "product_thermal_coal_5500_demo": (80, 200),
        },
        "lines": (1, 2),
        "price": (1.0, 1.06),
        "payment": "overdue",
        "trend": "steady",
        "po_prefix": "FX",
    },
}

# Days from order to invoice: the invoice is issued when the goods are shipped.
INVOICE_DELAY_DAYS = (1, 6)
# Invoices of an "overdue" customer younger than this are left unpaid.
OVERDUE_SINCE_DAYS = 150
# The power plant's sulphur complaint: the contract's price deduction per tonne affected.
COMPLAINT_PRICE_DEDUCTION = 8.0
# Credit limits (in the company's currency) the accountant set: the small trader, rated D and long
# overdue, is far over its limit; the others are well within theirs.
CREDIT_LIMITS = {
    "partner_small_trader_demo": 60000.0,
    "partner_pvc_pipes_demo": 400000.0,
    "partner_chem_distributor_demo": 500000.0,
    "partner_haiyang_chemical_demo": 500000.0,
}
# The texts the Python part of the story types in (credit decisions), as rows of
# demo/i18n/<lang>.csv: (xml id, field path from that record, English text). scripts/demo_texts.py
# reads this list; the story writes a text in the demo language when the file translates it.
CODE_TEXTS = [
    ("crm_industrial.partner_pvc_pipes_demo", "credit_rating_ids.reason",
     "Audited statements sound; pays within terms."),
    ("crm_industrial.partner_pvc_pipes_demo", "credit_rating_ids.reason",
     "Pays one to two months late; current ratio fell to 1.05."),
    ("crm_industrial.partner_pvc_pipes_demo", "credit_rating_ids.reason",
     "Arrears paid after the new credit line from its bank; figures recovered."),
    ("crm_industrial.partner_small_trader_demo", "credit_rating_ids.reason",
     "Late payments every quarter; the owner's guarantee covers single orders only."),
    ("crm_industrial.partner_small_trader_demo", "credit_hold_ids.release_reason",
     "Owner's personal guarantee signed for this order."),
    ("crm_industrial.partner_chem_distributor_demo", "credit_rating_ids.reason",
     "Often a little late; no audited statements this year."),
    ("crm_industrial.partner_steel_cement_demo", "credit_rating_ids.reason",
     "Audited group accounts sound; pays within terms, partly with bank acceptance bills."),
]


def _pay_on_time(rng, invoice_date, due_date, today):
    return max(invoice_date, due_date - timedelta(days=rng.randint(0, 8)))


def _pay_mostly_on_time(rng, invoice_date, due_date, today):
    if rng.random() < 0.8:
        return _pay_on_time(rng, invoice_date, due_date, today)
    return due_date + timedelta(days=rng.randint(6, 25))


def _pay_late(rng, invoice_date, due_date, today):
    if rng.random() < 0.8:
        return due_date + timedelta(days=rng.randint(25, 65))
    return due_date + timedelta(days=rng.randint(0, 10))


def _pay_late_then_stop(rng, invoice_date, due_date, today):
    """Paid late for a while, then nothing since OVERDUE_SINCE_DAYS ago."""
    if invoice_date > today - timedelta(days=OVERDUE_SINCE_DAYS):
        return None
    return due_date + timedelta(days=rng.randint(15, 45))


def _pay_later_and_later(rng, invoice_date, due_date, today):
    """On time a year ago, a few days late in the middle of the year, about a month late lately."""
    age = (today - invoice_date).days
    if age > 270:
        return due_date + timedelta(days=rng.randint(0, 3))
    if age > 130:
        return due_date + timedelta(days=rng.randint(3, 9))
    return due_date + timedelta(days=rng.randint(24, 36))


# behaviour -> function(rng, invoice_date, due_date, today) returning the day the
# customer pays, or None if it does not pay (a date after today also means unpaid).
PAYMENT_BEHAVIOURS = {
    "on_time": _pay_on_time,
    "mostly_on_time": _pay_mostly_on_time,
    "late": _pay_late,
    "overdue": _pay_late_then_stop,
    "later_and_later": _pay_later_and_later,
}


@dataclass
class StoryOrder:
    """One order of the story, before it exists in the database."""

    customer: str  # xml id of the customer, without module
    order_date: date
    lines: list  # [(product xml id, tonnes, price factor)]
    rng: random.Random = field(repr=False)  # the customer's generator, for later draws
    client_ref: str = ""


class CrmIndustrialDemo(models.AbstractModel):
    """Builds the demo story's sales history (orders, invoices, payments).

    Called from demo/crm_industrial_demo.xml only, so it never runs without demo data.
    """

    _name = "crm.industrial.demo"
    _description = "Industrial CRM demo story"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def _load_sales_history(self):
        self = self.with_context(tracking_disable=True, mail_create_nolog=True,
                                 mail_notrack=True, mail_auto_subscribe_no_notify=True)
        customers = self._story_customers()
        if not customers:
            _logger.info("Demo story: customers not found, no sales history generated")
            return
        if self.env["sale.order"].search_count([("partner_id", "child_of", customers.ids)], limit=1):
            _logger.info("Demo story: the demo customers already have orders, nothing to do")
            return
        today = fields.Date.context_today(self)
        without_since = customers.filtered(lambda p: not p.customer_since)
        story = self._plan_orders(today)
        orders = self._create_orders(story)
        self._fix_customer_since(without_since)
        if not self._can_invoice():
            return
        invoices = self._invoice_orders(orders, story, today)
        if not self._can_register_payments():
            return
        self._register_payments(invoices, orders, story, today)
        _logger.info("Demo story: %s orders, %s invoices", len(orders), len(invoices))

    @api.model
    def _story_plan(self):
        """The per-customer plan; override to add keys for new features."""
        return SALES_PLAN

    @api.model
    def _story_customers(self):
        partners = self.env["res.partner"]
        for xmlid in self._story_plan():
            partner = self.env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
            if partner:
                partners |= partner
        return partners

    # ------------------------------------------------------------------
    # Buying center (demo/crm_buying_center_demo.xml): who was reached, when
    # ------------------------------------------------------------------
    # (contact, how, days ago): emails, notes of calls, meetings and done activities with
    # the customers' people. Two of them were last reached long ago and are going cold.
    BUYING_CENTER_INTERACTIONS = [
        ("contact_power_plant_zhang_demo", "email", 3),
        ("contact_power_plant_zhang_demo", "activity", 17),
        ("contact_power_plant_wang_demo", "meeting", 12),
        ("contact_power_plant_li_demo", "note", 21),
        ("contact_power_plant_zhao_cfo_demo", "meeting", 40),
        ("contact_power_plant_sun_demo", "meeting", 160),
        ("contact_steel_cement_liu_demo", "email", 9),
        ("contact_steel_cement_sun_demo", "note", 130),
        ("contact_haiyang_chemical_chen_demo", "email", 6),
        ("contact_haiyang_chemical_zhou_demo", "activity", 15),
        ("contact_pvc_pipes_xu_demo", "note", 26),
        ("contact_chem_distributor_huang_demo", "meeting", 19),
        ("contact_chem_distributor_lin_demo", "email", 4),
        ("contact_coal_trader_zhao_demo", "email", 8),
    ]

    @api.model
    def _load_buying_center_interactions(self):
        """Dated interactions with the customers' people, so that Last Contact and Going Cold
        tell a story. Made once: nothing is added when these people were already reached."""
        contacts = {xmlid: self.env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
                    for xmlid, _kind, _days in self.BUYING_CENTER_INTERACTIONS}
        people = self.env["res.partner"].union(*filter(None, contacts.values()))
        if not people or any(self.env["res.partner"]._last_contacts(people.ids).values()):
            return
        now = fields.Datetime.now()
        for xmlid, kind, days_ago in self.BUYING_CENTER_INTERACTIONS:
            if contacts[xmlid]:
                getattr(self, f"_demo_{kind}")(contacts[xmlid], now - timedelta(days=days_ago))

    # The demo's own chatter texts (translated through the .po files like any other term).
    DEMO_EMAIL_TEXT = "Confirmed next month's quantities and delivery slots by email."
    DEMO_NOTE_TEXT = "Call: discussed the quality results of the last deliveries."
    DEMO_FEEDBACK_TEXT = "Reached; tender expected next quarter."

    @api.model
    def _demo_owner(self, contact):
        """Who reached the customer's people: its account owner (else the user loading the demo)."""
        return contact.commercial_partner_id._account_owner() or self.env.user

    def _demo_email(self, contact, when):
        env = contact.commercial_partner_id._owner_env()
        message = contact.message_post(
            body=env._("Confirmed next month's quantities and delivery slots by email."),
            message_type="comment", subtype_xmlid="mail.mt_note")
        # sudo: a message's date is not writable by users; the demo back-dates its own story.
        message.sudo().date = when

    def _demo_note(self, contact, when):
        env = contact.commercial_partner_id._owner_env()
        message = contact.message_post(
            body=env._("Call: discussed the quality results of the last deliveries."),
            message_type="comment", subtype_xmlid="mail.mt_note")
        # sudo: a message's date is not writable by users; the demo back-dates its own story.
        message.sudo().date = when

    def _demo_meeting(self, contact, when):
        owner = self._demo_owner(contact)
        env = contact.commercial_partner_id._owner_env()
        self.env["calendar.event"].create({
            "name": env._("Visit: %(customer)s", customer=contact.commercial_partner_id.name),
            "start": when, "stop": when + timedelta(hours=2), "user_id": owner.id,
            "partner_ids": [Command.link(contact.id), Command.link(owner.partner_id.id)],
        })

    def _demo_activity(self, contact, when):
        env = contact.commercial_partner_id._owner_env()
        activity = contact.with_env(env).activity_schedule(
            "mail.mail_activity_data_call", date_deadline=when.date(),
            summary=env._("Call about the next tender"), user_id=self._demo_owner(contact).id)
        activity.action_feedback(feedback=env._("Reached; tender expected next quarter."))
        done = self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", contact.id),
            ("mail_activity_type_id", "!=", False)], order="id desc", limit=1)
        # sudo: as above, the demo back-dates the done activity's message.
        done.sudo().date = when

    # ------------------------------------------------------------------
    # The story in the users' language (make run with CRMI_LANG)
    # ------------------------------------------------------------------
    @api.model
    def _demo_language(self):
        """The language this demo database was created in when it is not English: its only other
        active language (`odoo-bin --load-language`, as `CRMI_LANG=zh_CN make run` creates it)."""
        langs = self.env["res.lang"].search([("code", "!=", "en_US")])
        return langs.code if len(langs) == 1 else False

    @api.model
    def _load_demo_language(self):
        """Before the story is written, on a new database made in another language: the demo users
        and the story's customers and people speak it, so that what the addon writes for them
        (chatter notes, activities, order lines) is written in it, as for a real company."""
        lang = self._demo_language()
        customers = self._story_customers()
        if not lang or not customers or self.env["sale.order"].search_count(
                [("partner_id", "child_of", customers.ids)], limit=1):
            return
        # this addon's own records (tiers, activity types) are translated after its demo data
        self.env["ir.module.module"]._load_module_terms([MODULE], [lang])
        users = self.env.ref("base.user_admin") | self.env.ref("base.user_demo", raise_if_not_found=False)
        users.write({"lang": lang})
        self.env["res.partner"].search([("id", "child_of", customers.ids)]).write({"lang": lang})

    @api.model
    def _code_text(self, code_text):
        """A text of CODE_TEXTS as the story types it: in the administrator's language when
        demo/i18n/<lang>.csv translates it (see _load_demo_language), else in English."""
        lang = self.env.ref("base.user_admin").lang
        if lang and lang != "en_US":
            for row in self._demo_text_rows(lang):
                if (row["xml_id"], row["field"], row["source"]) == code_text:
                    return row["translation"]
        return code_text[2]

    @api.model
    def _demo_text_rows(self, lang):
        """The translated rows of demo/i18n/<lang>.csv (none without the file)."""
        try:
            path = file_path(f"{MODULE}/demo/i18n/{lang}.csv")
        except FileNotFoundError:
            return []
        with open(path, encoding="utf-8", newline="") as file:
            return [row for row in csv.DictReader(file) if row["translation"].strip()]

    @api.model
    def _localize_demo_texts(self, lang):
        """Rewrite the demo story's plain texts (names, job titles, complaint and notice texts,
        which a company types in its own language and .po files do not cover) in `lang`, from
        demo/i18n/<lang>.csv. A text someone has changed since the demo was loaded stays as it
        is. A field of a row is a field of the record, or a path to the lines of a record that have
        no xml id of their own (``swot_ids.name``: the plan's SWOT line whose name is the English
        text). What the addon wrote in English on the story (activity summaries, order lines) is
        written again in `lang`. Returns the number of texts rewritten."""
        rows = self._demo_text_rows(lang)
        if not rows:
            return 0
        values = {}
        for row in rows:
            record = self.env.ref(row["xml_id"], raise_if_not_found=False)
            if not record:
                continue
            path, _dot, name = row["field"].rpartition(".")
            for target in record.mapped(path) if path else record:
                field = target._fields.get(name)
                # translatable fields are the .po files' job; a changed text is the user's
                if field and not field.translate and self._is_demo_source(target[name], row["source"], field):
                    values.setdefault(target, {})[name] = row["translation"]
        quiet = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        for record, vals in values.items():
            record.with_context(**quiet).write(vals)
        return (sum(map(len, values.values())) + self._localize_demo_messages(lang)
                + self._localize_demo_activities(lang, rows) + self._localize_demo_order_lines(lang)
                + self._localize_demo_names(lang, rows) + self._localize_demo_creation_logs(lang)
                + self._localize_demo_complaint_mails(rows))

    @api.model
    def _localize_demo_complaint_mails(self, rows):
        """What the demo's cases told their customers (_load_complaint_history) was written in the
        customer's language, but quotes the case's subject as the demo typed it, in English: the
        subject in the file's language there too."""
        count = 0
        for row in rows:
            complaint = self.env.ref(row["xml_id"], raise_if_not_found=False) if row["field"] == "subject" else None
            if not complaint or complaint._name != "crm.complaint":
                continue
            translated = str(html_escape(row["translation"]))
            # the body is HTML: an apostrophe may be stored escaped either way
            english = {row["source"], str(html_escape(row["source"])), row["source"].replace("'", "&#x27;")}
            # sudo: the case's emails to the customer are written by the system, not by the user
            for message in self.env["mail.message"].sudo().search(
                    [("model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]):
                body = str(message.body)
                for text in english:
                    body = body.replace(text, translated)
                if body != str(message.body):
                    message.body = Markup(body)  # noqa: S704 (the addon's own HTML, texts escaped)
                    count += 1
        return count

    @api.model
    def _localize_demo_creation_logs(self, lang):
        """The "<document> created" notes of the demo's records, logged while the database had no
        language yet (the document's name, at least, is English), in `lang`."""
        created = code_translations.get_python_translations("mail", lang).get("%s created") or "%s created"
        count = 0
        for model in self.env["ir.model"].search([("is_mail_thread", "=", True)]):
            english, translated = model.with_context(lang="en_US").name, model.with_context(lang=lang).name
            if english == translated:
                continue
            bodies = [f"<p>{html_escape(english)} created</p>", f"<p>{html_escape(created % english)}</p>"]
            messages = self.env["mail.message"].search([("model", "=", model.model), ("body", "in", bodies)])
            if messages:
                messages.write({"body": Markup("<p>%s</p>") % (created % translated)})
                count += len(messages)
        return count

    @api.model
    def _localize_demo_activities(self, lang, rows):
        """Open activities of the story that still carry their type's English summary, or a text
        of the file (an insight's follow-up), in `lang`."""
        texts = {row["source"]: row["translation"] for row in rows}
        activities = self.env["mail.activity"].search([("summary", "!=", False), ("activity_type_id", "!=", False)])
        count = 0
        for activity in activities:
            english = activity.activity_type_id.with_context(lang="en_US").summary
            translated = activity.activity_type_id.with_context(lang=lang).summary
            if activity.summary == english and translated and translated != english:
                activity.summary = translated
            elif activity.summary in texts:
                activity.summary = texts[activity.summary]
            else:
                continue
            count += 1
        return count

    @api.model
    def _localize_demo_names(self, lang, rows):
        """The story's company and people's names, and the notices' "sent" notes, inside what was
        written with them (chatter, meetings, activity summaries): in `lang`."""
        lang_env = self.with_context(lang=lang).env
        count = 0
        # the customers' "notice sent" notes (crm.supply.notice.recipient), as a whole
        for row in rows:
            notice = self.env.ref(row["xml_id"], raise_if_not_found=False) if row["field"] == "title" else None
            if notice and notice._name == "crm.supply.notice":
                # the title is translated with the addon's terms; else (not translated there) the file's
                translated = notice.with_context(lang=lang).title
                translated = row["translation"] if translated == row["source"] else translated
                sent = "Supply notice %(ref)s sent: %(title)s"
                english = html_escape(self.env._(sent, ref=notice.name, title=row["source"]))
                for message in self.env["mail.message"].search([("body", "ilike", row["source"].split("&")[0])]):
                    if english in str(message.body):
                        message.body = Markup(str(message.body).replace(english, html_escape(  # noqa: S704
                            lang_env._(sent, ref=notice.name, title=translated))))
                        count += 1
        names = {row["source"]: row["translation"] for row in rows
                 if row["field"] == "name" and len(row["source"]) >= 6
                 and row["xml_id"].split(".")[-1].startswith(("partner_", "contact_"))}
        for source, translated in sorted(names.items(), key=lambda item: -len(item[0])):
            pattern = re.compile(r"(?<!\w)%s(?!\w)" % "|".join(map(re.escape, {source, html_escape(source)})))
            html = str(html_escape(translated))
            for message in self.env["mail.message"].search([("body", "ilike", source.split("&")[0])]):
                body = pattern.sub(html, str(message.body))
                if body != str(message.body):
                    message.body = Markup(body)  # noqa: S704 (the demo's own HTML, names escaped)
                    count += 1
            for activity in self.env["mail.activity"].search([("note", "ilike", source.split("&")[0])]):
                note = pattern.sub(html, str(activity.note))
                if note != str(activity.note):
                    activity.note = Markup(note)  # noqa: S704 (the addon's own HTML, names escaped)
                    count += 1
            for event in self.env["calendar.event"].search([("name", "ilike", source)]):
                # the meetings _demo_meeting made: "Visit: <customer>" as a whole
                visit = self.env._("Visit: %(customer)s", customer=source)
                event.name = lang_env._("Visit: %(customer)s", customer=translated) if event.name == visit \
                    else pattern.sub(translated, event.name)
                count += 1
            for activity in self.env["mail.activity"].search([("summary", "ilike", source)]):
                activity.summary = pattern.sub(translated, activity.summary)
                count += 1
        # the activities keep the name their document had when they were scheduled
        activities = self.env["mail.activity"].search([("res_model", "=", "res.partner")])
        self.env.add_to_compute(activities._fields["res_name"], activities)
        activities.flush_recordset(["res_name"])
        return count

    @api.model
    def _localize_demo_order_lines(self, lang):
        """Order lines of the story's customers that describe their product in English, in `lang`
        (a line copies its product's sales description when it is made)."""
        lines = self.env["sale.order.line"].search([
            ("order_partner_id", "child_of", self._story_customers().ids), ("product_id", "!=", False)])
        count = 0
        for product_lines in lines.grouped("product_id").values():
            english = product_lines[:1].with_context(lang="en_US")._get_sale_order_line_multiline_description_sale()
            translated = product_lines[:1].with_context(lang=lang)._get_sale_order_line_multiline_description_sale()
            # a locked order's lines are no longer edited (sale's own rule)
            todo = product_lines.filtered(lambda line: line.name == english and not line.order_id.locked)  # noqa: B023
            if translated != english and todo:
                todo.name = translated
                count += len(todo)
        return count

    @api.model
    def _is_demo_source(self, current, source, field):
        if field.type == "html":
            return html2plaintext(current or "").split() == html2plaintext(source).split()
        return (current or "") == source

    @api.model
    def _localize_demo_messages(self, lang):
        """The demo's back-dated chatter with the customers' people, in `lang`."""
        env = self.with_context(lang=lang).env
        count = 0
        for source in (self.DEMO_EMAIL_TEXT, self.DEMO_NOTE_TEXT, self.DEMO_FEEDBACK_TEXT):
            translated = env._(source)  # pylint: disable=translation-not-lazy
            if translated == source:
                continue
            # the body is HTML: an apostrophe may be stored escaped, so look for the longest part without one
            probe = max(source.split("'"), key=len)
            messages = self.env["mail.message"].search([("model", "=", "res.partner"), ("body", "ilike", probe)])
            for message in messages:
                message.body = str(message.body).replace(source.replace("'", "&#x27;"), translated).replace(
                    source, translated)
            count += len(messages)
        return count

    # ------------------------------------------------------------------
    # Planning: pure Python, no database writes
    # ------------------------------------------------------------------
    @api.model
    def _plan_orders(self, today):
        story = []
        for xmlid, plan in self._story_plan().items():
            story += self._plan_customer_orders(xmlid, plan, today)
        return sorted(story, key=lambda o: (o.order_date, o.customer))

    @api.model
    def _plan_customer_orders(self, xmlid, plan, today):
        rng = random.Random(f"{MODULE}.{xmlid}")
        low, high = plan["interval"]
        start = today - timedelta(days=HISTORY_DAYS)
        last_day = today - timedelta(days=plan.get("stop_days", 0))
        day = start + timedelta(days=rng.randint(0, low))
        orders = []
        while day <= last_day:
            age = (day - start).days / HISTORY_DAYS  # 0 at the start of the story, 1 today
            qty_factor, interval_factor = self._trend_factors(plan.get("trend", "steady"), age)
            qty_factor *= plan.get("season", {}).get(day.month, 1.0)
            lines = self._plan_lines(rng, plan, qty_factor)
            ref = f"{plan.get('po_prefix', 'PO')}-{day:%y%m}-{len(orders) + 1:03d}"
            orders.append(StoryOrder(xmlid, day, lines, rng, ref))
            day += timedelta(days=round(rng.randint(low, high) * interval_factor))
        return orders

    @api.model
    def _trend_factors(self, trend, age):
        """(quantity factor, interval factor) of a customer's trend at this age of the story."""
        if trend == "growing":
            return 0.6 + 0.8 * age, 1.0
        if trend == "declining" and age > DECLINE_STARTS:
            # Steady until about a year ago, then smaller and rarer orders.
            fading = age - DECLINE_STARTS
            return max(0.15, 1.0 - 2.2 * fading), 1.0 + 6.0 * fading
        return 1.0, 1.0

    @api.model
    def _plan_lines(self, rng, plan, qty_factor):
        products = sorted(plan["products"])
        count = min(len(products), rng.randint(*plan["lines"]))
        lines = []
        for product in rng.sample(products, count):
            low, high = plan["products"][product]
            tonnes = max(5, round(rng.uniform(low, high) * qty_factor / 5) * 5)
            lines.append((product, tonnes, round(rng.uniform(*plan["price"]), 3)))
        return lines

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    @api.model
    def _create_orders(self, story):
        vals_list = [self._order_values(order) for order in story]
        orders = self.env["sale.order"].create(vals_list)
        orders.action_confirm()
        # Confirming stamps today's date; put back the story's date.
        for order, planned in zip(orders, story, strict=False):
            order.date_order = self._story_datetime(planned)
        # An order of the story was made on its date, not when the demo was loaded (lists show it).
        orders.flush_recordset(["date_order"])
        self.env.cr.execute(SQL("UPDATE sale_order SET create_date = date_order WHERE id = ANY(%s)", orders.ids))
        orders.invalidate_recordset(["create_date"])
        return orders

    @api.model
    def _order_values(self, planned):
        customer = self.env.ref(f"{MODULE}.{planned.customer}")
        lines = []
        for product_xmlid, tonnes, price_factor in planned.lines:
            product = self.env.ref(f"{MODULE}.{product_xmlid}")
            lines.append(Command.create({
                "product_id": product.id,
                "product_uom_qty": tonnes,
                "price_unit": round(product.lst_price * price_factor, 2),
            }))
        return {
            "partner_id": customer.id,
            "client_order_ref": planned.client_ref,
            "date_order": self._story_datetime(planned),
            "validity_date": planned.order_date + timedelta(days=15),
            "order_line": lines,
        }

    @api.model
    def _story_datetime(self, planned):
        hour = 8 + (planned.order_date.toordinal() * 7 + len(planned.customer)) % 9
        return datetime.combine(planned.order_date, time(hour, 0))

    @api.model
    def _fix_customer_since(self, customers):
        """Confirmation set 'customer since' to today; date it from the first story order."""
        customers.customer_since = False
        customers._fill_customer_since()

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    @api.model
    def _can_invoice(self):
        company = self.env.company
        journal = self.env["account.journal"].search([
            *self.env["account.journal"]._check_company_domain(company),
            ("type", "=", "sale"),
        ], limit=1)
        if not company.chart_template or not journal:
            _logger.info("Demo story: no chart of accounts or sale journal on %s, "
                         "orders are left uninvoiced", company.name)
            return False
        return True

    @api.model
    def _invoice_orders(self, orders, story, today):
        invoices = orders._create_invoices(grouped=True)
        invoice_by_order = {inv.line_ids.sale_line_ids.order_id: inv for inv in invoices}
        for order, planned in zip(orders, story, strict=False):
            delay = planned.rng.randint(*INVOICE_DELAY_DAYS)
            invoice_by_order[order].invoice_date = min(today, planned.order_date + timedelta(days=delay))
        invoices = invoices.sorted(lambda inv: (inv.invoice_date, inv.id))
        invoices.action_post()
        return invoices

    # ------------------------------------------------------------------
    # Payments
    # ------------------------------------------------------------------
    @api.model
    def _can_register_payments(self):
        company = self.env.company
        journal = self.env["account.journal"].search([
            *self.env["account.journal"]._check_company_domain(company),
            ("type", "in", ("bank", "cash")),
        ], limit=1)
        if not journal:
            _logger.info("Demo story: no bank or cash journal on %s, invoices are left unpaid",
                         company.name)
            return False
        return True

    @api.model
    def _register_payments(self, invoices, orders, story, today):
        planned_by_order = dict(zip(orders, story, strict=False))
        to_pay = []
        for invoice in invoices:
            planned = planned_by_order[invoice.line_ids.sale_line_ids.order_id]
            pay_date = self._payment_date(planned, invoice, today)
            if pay_date:
                to_pay.append((pay_date, invoice))
        for pay_date, invoice in sorted(to_pay, key=lambda p: (p[0], p[1].id)):
            self._pay_invoice(invoice, pay_date)

    @api.model
    def _payment_date(self, planned, invoice, today):
        """When the customer pays this invoice, or None if it is still open today."""
        pay = PAYMENT_BEHAVIOURS[self._story_plan()[planned.customer]["payment"]]
        pay_date = pay(planned.rng, invoice.invoice_date, invoice.invoice_date_due, today)
        return pay_date if pay_date and pay_date <= today else None

    @api.model
    def _pay_invoice(self, invoice, pay_date):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": pay_date})
        wizard.action_create_payments()

    # ------------------------------------------------------------------
    # Complaints (demo/crm_complaint_demo.xml)
    # ------------------------------------------------------------------
    @api.model
    def _load_complaint_history(self):
        """What the demo's cases told their customers, dated when it was said.

        The cases were received days or months ago (demo/crm_complaint_demo.xml) but are created
        now: the stage's email (received, investigating, resolved) and the rating request of a
        closed case were written at creation, with deadlines computed from the day the case was
        received. They are dated when the case reached its stage (so a promise reads as made then,
        not as broken on the day it was written) and recorded as delivered then, as the mail server
        leaves them; the creation log is dated when the case was received. Each case at most once."""
        # The stage emails are posted by mail's tracking when the transaction commits: post them
        # now, as the install's commit would, so that they can be dated.
        self.env.flush_all()
        self.env.cr.precommit.run()
        # sudo: a message's date and the mail queue are not users' to write; the demo back-dates its own story.
        complaints = self.env["crm.complaint"].sudo().browse(self.env["ir.model.data"].sudo().search([
            ("module", "=", MODULE), ("model", "=", "crm.complaint")]).mapped("res_id")).exists()
        # searched, not read from the cases: the messages just posted are not in their cached message_ids
        messages = self.env["mail.message"].sudo().search(
            [("model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)], order="id")
        for complaint in complaints:
            stamps = [complaint.date_received, complaint.date_first_response, complaint.date_resolved,
                      complaint.date_closed]
            reached = max(stamp for stamp in stamps if stamp)
            own = messages.filtered(lambda message: message.res_id == complaint.id)  # noqa: B023
            # queued, or already tried (and failed when this database has no mail server)
            mails = self.env["mail.mail"].sudo().search([
                ("mail_message_id", "in", own.filtered(lambda message: message.date > reached).ids),  # noqa: B023
                ("state", "in", ("outgoing", "exception"))])
            for message, customer_mails in mails.grouped("mail_message_id").items():
                message.date = reached
                # delivered (and removed from the queue when auto-deleted), as mail.mail._send() leaves it
                customer_mails.write({"state": "sent", "failure_reason": False, "failure_type": False})
                customer_mails._postprocess_sent_message(success_pids=customer_mails.recipient_ids.ids)
            creation = own[:1]
            if creation.message_type == "notification" and creation.date > complaint.date_received:
                creation.date = complaint.date_received

    @api.model
    def _load_complaint_remedies(self):
        """The demo complaints' remedies, made as a user would, each at most once.

        The power plant's quality complaint is compensated by the contract's price deduction
        through the compensation wizard (a draft credit note reversing part of its invoice);
        the pipe maker's torn and missing bags get a free replacement quotation.
        """
        quality = self.env.ref(f"{MODULE}.complaint_power_plant_sulphur_demo", raise_if_not_found=False)
        if quality and quality.invoice_id and not quality.credit_note_ids:
            quality.sale_order_id = quality.sale_order_id or quality.invoice_id.line_ids.sale_line_ids.order_id[:1]
            context = quality.action_open_compensation_wizard()["context"]
            wizard = self.env["crm.complaint.compensation.wizard"].with_context(**context).create({
                "amount": COMPLAINT_PRICE_DEDUCTION * quality.quantity_affected})
            wizard.action_create_credit_note()
        packaging = self.env.ref(f"{MODULE}.complaint_pvc_pipes_torn_bags_demo", raise_if_not_found=False)
        if packaging and not packaging.replacement_order_ids:
            packaging.action_create_replacement()

    # ------------------------------------------------------------------
    # Supply notices (demo/crm_supply_notice_demo.xml)
    # ------------------------------------------------------------------
    @api.model
    def _load_supply_notice_acknowledgements(self):
        """Two customers of the caustic soda allocation acknowledge it, as through the email's link.

        A customer can only acknowledge an email it received: theirs is recorded as sent, as the
        mail server's successful delivery leaves it (see _demo_mail_delivered). The others stay in
        the mail queue, and fail for real when this database has no mail server.
        Each acknowledgement is recorded at most once; the other recipients have not answered yet.
        """
        notice = self.env.ref(f"{MODULE}.supply_notice_caustic_soda_shortage_demo", raise_if_not_found=False)
        if not notice or notice.state != "published":
            return
        for customer, contact in (("partner_haiyang_chemical_demo", "contact_haiyang_chemical_chen_demo"),
                                  ("partner_water_treatment_demo", "contact_water_treatment_guo_demo")):
            partner = self.env.ref(f"{MODULE}.{customer}", raise_if_not_found=False)
            recipient = notice.recipient_ids.filtered(lambda r: r.partner_id == partner)  # noqa: B023
            if recipient and not recipient.acknowledged:
                self._demo_mail_delivered(recipient)
                recipient._acknowledge(self.env.ref(f"{MODULE}.{contact}").name)

    # ------------------------------------------------------------------
    # Credit decisions (demo/crm_credit_decision_demo.xml)
    # ------------------------------------------------------------------
    @api.model
    def _load_credit_decisions(self):
        """The accountant's side of the story, made as the administrator (a credit controller),
        each at most once: the pipe maker's rating history B -> C -> B and two financial snapshots;
        the small trader rated D, its new quotation held by the rating rule and released."""
        accountant = self.env.ref("base.user_admin")
        today = fields.Date.context_today(self)
        pipes = self.env.ref(f"{MODULE}.partner_pvc_pipes_demo", raise_if_not_found=False)
        Rating = self.env["crm.credit.rating"].with_user(accountant)
        if pipes and not Rating.search_count([("partner_id", "=", pipes.id)]):
            for days_ago, grade, review_in, reason in (
                (400, "B", 180, CODE_TEXTS[0]),
                (200, "C", 90, CODE_TEXTS[1]),
                (20, "B", 180, CODE_TEXTS[2]),
            ):
                Rating.create({"partner_id": pipes.id, "grade": grade, "date": today - timedelta(days=days_ago),
                               "review_date": today - timedelta(days=days_ago - review_in),
                               "reason": self._code_text(reason)})
            self.env["crm.customer.financial.snapshot"].with_user(accountant).create([{
                "partner_id": pipes.id, "date": today - timedelta(days=days_ago), "source": source,
                "current_ratio": ratio, "net_profit_margin": margin, "return_on_assets": roa,
                "inventory_days": stock_days, "collection_period_days": collection,
            } for days_ago, source, ratio, margin, roa, stock_days, collection in (
                (380, "audited", 1.35, 5.2, 4.1, 48, 62),
                (30, "management", 1.18, 3.4, 2.6, 55, 71),
            )])
        # The steel group, a strategic account, rated A at its yearly review.
        steel = self.env.ref(f"{MODULE}.partner_steel_cement_demo", raise_if_not_found=False)
        if steel and not Rating.search_count([("partner_id", "=", steel.id)]):
            Rating.create({"partner_id": steel.id, "grade": "A", "date": today - timedelta(days=60),
                           "review_date": today + timedelta(days=305),
                           "reason": self._code_text(CODE_TEXTS[6])})
        trader = self.env.ref(f"{MODULE}.partner_small_trader_demo", raise_if_not_found=False)
        if not trader or Rating.search_count([("partner_id", "=", trader.id)]):
            return
        self._load_credit_limits()
        Rating.create({"partner_id": trader.id, "grade": "D", "date": today - timedelta(days=15),
                       "review_date": today + timedelta(days=75),
                       "reason": self._code_text(CODE_TEXTS[3])})
        order = self.env["sale.order"].with_user(trader.user_id or accountant).create({
            "partner_id": trader.id, "client_order_ref": "FX-HOLD-001",
            "order_line": [Command.create({
                "product_id": self.env.ref(f"{MODULE}.product_thermal_coal_5500_demo").id,
                "product_uom_qty": 200})],
        })
        order.credit_hold_ids.filtered(lambda hold: hold.state == "held").with_user(accountant)._release(
            self._code_text(CODE_TEXTS[4]), today + timedelta(days=30))
        # A second quotation since, not covered by that guarantee: it waits in Held Orders.
        self.env["sale.order"].with_user(trader.user_id or accountant).create({
            "partner_id": trader.id, "client_order_ref": "FX-HOLD-002",
            "order_line": [Command.create({
                "product_id": self.env.ref(f"{MODULE}.product_anthracite_demo").id,
                "product_uom_qty": 120})],
        })
        # The chemical distributor's rating is due for review (Credit Reviews Due).
        distributor = self.env.ref(f"{MODULE}.partner_chem_distributor_demo", raise_if_not_found=False)
        if distributor:
            Rating.create({"partner_id": distributor.id, "grade": "C", "date": today - timedelta(days=190),
                           "review_date": today - timedelta(days=10),
                           "reason": self._code_text(CODE_TEXTS[5])})

    @api.model
    def _load_credit_limits(self):
        """The company works with credit limits, and the accountant set some (CREDIT_LIMITS): the
        customers' Over Credit Limit list shows the small trader, whose new quotation is over it."""
        self.env.company.account_use_credit_limit = True
        for xmlid, limit in CREDIT_LIMITS.items():
            partner = self.env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
            if partner and not partner.credit_limit:
                partner.credit_limit = limit

    def _demo_mail_delivered(self, recipient):
        """Record the recipient's queued email as delivered, as mail.mail._send() does on success.

        The recipient's status follows its email (crm.supply.notice.recipient._compute_send_status),
        so it shows "Sent" because the email is sent, not because the demo says so."""
        # sudo: mail.mail is an administrators' model; the demo plays the mail server's part.
        mail = recipient.sudo().mail_id
        if mail.state == "outgoing":
            mail.write({"state": "sent", "failure_reason": False})
