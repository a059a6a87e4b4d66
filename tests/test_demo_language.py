"""`CRMI_LANG=zh_CN make run`: the demo story in Chinese, down to what its Python code and the
addon's jobs wrote (rating reasons, account-plan lines, chatter and activities, order lines)."""

import csv
import os
import re
from datetime import datetime

from markupsafe import escape as html_escape

from odoo.tests import TransactionCase, tagged

from scripts.demo_texts import demo_texts

DEMO_CSV = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "crm_industrial", "demo", "i18n", "zh_CN.csv")
CHINESE = re.compile("[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestDemoLanguage(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_industrial"], ["zh_CN"], overwrite=True)
        cls.Demo = cls.env["crm.industrial.demo"]

    def _ref(self, xmlid):
        return self.env.ref(f"crm_industrial.{xmlid}")

    def assertChinese(self, text, what):
        self.assertRegex(text or "", CHINESE, what)

    def test_every_demo_text_is_translated(self):
        """What `python3 scripts/demo_texts.py zh_CN` would report: nothing left to translate."""
        with open(DEMO_CSV, encoding="utf-8", newline="") as file:
            translated = {(row["xml_id"], row["field"], row["source"])
                          for row in csv.DictReader(file) if row["translation"].strip()}
        texts = set(demo_texts())
        self.assertIn(("crm_industrial.account_plan_power_plant_demo", "swot_ids.name",
                       "Rail capacity from our mine is tight in December."), texts, "the plans' lines are listed")
        self.assertIn(("crm_industrial.partner_small_trader_demo", "credit_rating_ids.reason",
                       "Late payments every quarter; the owner's guarantee covers single orders only."), texts,
                      "the texts of the story's Python code are listed")
        self.assertFalse(texts - translated)

    def test_localized_story_reads_chinese(self):
        plan = self._ref("account_plan_power_plant_demo")
        pipes = self._ref("partner_pvc_pipes_demo")
        visit_type = self.env.ref("crm_industrial.mail_activity_type_visit")
        visits = self.env["mail.activity"].search([("activity_type_id", "=", visit_type.id)])
        self.assertTrue(visits)
        self.assertEqual(set(visits.mapped("summary")), {"Visit the customer"}, "installed in English")
        steel = self._ref("partner_steel_cement_demo")
        steel_english = str(html_escape(steel.name))
        steel_visit = visits.filtered(lambda visit: visit.res_id == steel.id)
        self.assertIn(steel_english, str(steel_visit.note))
        zhou = self._ref("contact_haiyang_chemical_zhou_demo")
        note = zhou.message_ids.filtered(lambda message: "tender expected" in str(message.body))
        self.assertTrue(note)
        unlocked = self.env["sale.order.line"].search([
            ("order_partner_id", "=", self._ref("partner_power_plant_demo").id), ("order_id.locked", "=", False)],
            limit=1)
        self.assertNotRegex(unlocked.name, CHINESE)

        plant = self._ref("partner_power_plant_demo")
        meeting = self.env["calendar.event"].search([("name", "=", f"Visit: {plant.name}")], limit=1)
        self.assertTrue(meeting, "a meeting of the story, named after the customer")
        notice = self._ref("supply_notice_caustic_soda_shortage_demo")
        sent = self.env["mail.message"].search([("model", "=", "res.partner"), ("body", "ilike", notice.title)])
        self.assertTrue(sent, "the customers' chatter says the notice was sent, with its title")

        complaint = self._ref("complaint_power_plant_sulphur_demo")
        created = complaint.message_ids.filtered(
            lambda message: str(message.body) == "<p>Complaint or Suggestion created</p>")
        self.assertTrue(created, "logged when the demo made it")

        acid = self._ref("complaint_fertiliser_acid_strength_demo")
        english_subject = acid.subject
        ack = acid.message_ids.filtered(lambda message: message.message_type == "auto_comment")
        self.assertIn(english_subject, str(ack.body), "the acknowledgement quotes the case's subject")

        self.assertGreater(self.Demo._localize_demo_texts("zh_CN"), 0)

        self.assertChinese(acid.subject, "the case's subject")
        self.assertIn(acid.subject, str(ack.body), "the acknowledgement quotes it in the customer's language")
        self.assertNotIn(english_subject, str(ack.body))

        self.assertEqual(str(created.body), "<p>投诉或建议 创建</p>")
        self.assertChinese(plant.street, "the customer's address")
        self.assertEqual(plant.child_ids[:1].street, plant.street, "its people's address follows")

        self.assertEqual(meeting.name, f"拜访：{plant.name}")
        self.assertChinese(plant.name, "the customer's name")
        title = notice.with_context(lang="zh_CN").title
        self.assertChinese(title, "the notice's title")
        for message in sent:
            self.assertIn(f"供应预警通知 {notice.name} 已发送：{title}", str(message.body))

        for rating in pipes.credit_rating_ids:
            self.assertChinese(rating.reason, "a credit rating reason")
        for line in [*plan.swot_ids, *plan.objective_ids]:
            self.assertChinese(line.name, "an account plan's SWOT line or objective")
        self.assertChinese(plan.competitor_ids.strengths, "a competitor's strengths")
        release = self._ref("partner_small_trader_demo").credit_hold_ids.filtered("release_reason")
        self.assertChinese(release.release_reason, "the credit hold's release reason")
        self.assertEqual(set(visits.mapped("summary")), {"拜访客户"})
        for visit in visits:
            self.assertChinese(visit.res_name, "the customer's name on its activity")
        self.assertNotIn(steel_english, str(steel_visit.note))
        self.assertIn(str(html_escape(steel.name)), str(steel_visit.note), "its note names the customer")
        self.assertChinese(str(note.body), "a chatter note of the story")
        self.assertNotIn("tender expected", str(note.body))
        self.assertChinese(unlocked.name, "an order line's product description")

    def test_a_text_someone_changed_stays(self):
        swot = self._ref("account_plan_power_plant_demo").swot_ids[:1]
        swot.name = "Our own words"
        self.Demo._localize_demo_texts("zh_CN")
        self.assertEqual(swot.name, "Our own words")

    def test_a_database_made_in_chinese_writes_the_story_in_chinese(self):
        """What _load_demo_language prepares (the users and customers speak the database's language)
        makes what the story's code writes come out in Chinese."""
        self.assertEqual(self.Demo._demo_language(), "zh_CN", "the database's only other language")
        admin, demo = self.env.ref("base.user_admin"), self.env.ref("base.user_demo")
        (admin | demo).lang = "zh_CN"
        steel = self._ref("partner_steel_cement_demo")
        self.assertEqual(steel._account_owner(), demo)
        self.assertEqual(self.Demo._code_text((
            "crm_industrial.partner_small_trader_demo", "credit_rating_ids.reason",
            "Late payments every quarter; the owner's guarantee covers single orders only.")),
            "每个季度都拖欠付款；老板的个人担保仅覆盖单笔订单。")
        liu = self._ref("contact_steel_cement_liu_demo")
        self.Demo._demo_note(liu, datetime(2026, 1, 5, 9, 0))
        self.assertChinese(str(liu.message_ids[:1].body), "a call note in the owner's language")
        self.Demo._demo_meeting(liu, datetime(2026, 1, 6, 9, 0))
        meeting = self.env["calendar.event"].search([("partner_ids", "in", liu.ids)], order="id desc", limit=1)
        self.assertEqual(meeting.user_id, demo, "the account owner met him")
        self.assertChinese(meeting.name, "the meeting's name")
        visit_type = self.env.ref("crm_industrial.mail_activity_type_visit")
        steel.activity_ids.filtered(lambda activity: activity.activity_type_id == visit_type).unlink()
        steel._schedule_account_activity("crm_industrial.mail_activity_type_visit", "…")
        activity = steel.activity_ids.filtered(lambda activity: activity.activity_type_id == visit_type)
        self.assertEqual((activity.user_id, activity.summary), (demo, "拜访客户"))
        notice = self._ref("supply_notice_caustic_soda_shortage_demo")
        self.assertEqual(notice.create_uid, admin, "the administrator wrote the story's notices")
        waiting = notice.recipient_ids.filtered(lambda recipient: not recipient.acknowledged)[:1]
        self.assertTrue(waiting._acknowledge("Guo"))
        self.assertChinese(str(notice.message_ids[:1].body), "the acknowledgement noted in the author's language")
