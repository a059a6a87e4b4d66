"""Maintainers: list the demo story's texts that a translation file must cover.

The demo data's names, job titles, complaint and notice texts are plain fields (a company
types them in its own language), so Odoo's .po files do not translate them. `make run` with
CRMI_LANG rewrites them from crm_industrial/demo/i18n/<lang>.csv (xml id, field, English,
translation). This script adds the texts missing from that file, with an empty translation:

    python3 scripts/demo_texts.py zh_CN      # then fill the empty last column
"""

import ast
import csv
import glob
import os
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crm_industrial")
# Plain text fields of the demo story (selection keys, numbers and contact details stay as they are).
TEXT_FIELDS = {
    "res.partner": {"name", "street", "city", "function", "customer_business_goals", "customer_history",
                    "customer_organisation", "hobbies", "personality_notes", "comment"},
    "crm.lead": {"name", "description"},
    "crm.complaint": {"subject", "description", "corrective_action", "preventive_action", "resolution",
                      "root_cause_analysis"},
    "crm.supply.notice": {"title", "message", "internal_notes", "recommended_action"},
    "crm.credit.rating": {"reason"},
    "crm.customer.financial.snapshot": {"source"},
    "crm.customer.insight": {"summary", "follow_up_note"},
    "crm.account.plan": {"customer_strategy", "our_strategy"},
    "crm.customer.spec": {"note"},
    "calendar.event": {"name"},
    "product.category": {"name"},
    "mail.message": {"body"},
}
# Lines a demo record makes in one of its fields (eval="[Command.create({...})]"), which have no xml id:
# their texts are listed as "<field>.<key>" of that record.
LINE_FIELDS = {
    "crm.account.plan": {"objective_ids": {"name"}, "swot_ids": {"name"}, "competitor_ids": {"strengths"}},
}
# The texts the story's Python code types in (models/crm_industrial_demo.py, CODE_TEXTS).
CODE_FILE = os.path.join(ROOT, "models", "crm_industrial_demo.py")
COLUMNS = ["xml_id", "field", "source", "translation"]


def line_texts(field, keys):
    """[(field.key, text)] of the Command.create({...}) values of an eval attribute."""
    texts = []
    for node in ast.walk(ast.parse(field.get("eval"), mode="eval")):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "create" \
                and node.args and isinstance(node.args[0], ast.Dict):
            for key, value in zip(node.args[0].keys, node.args[0].values, strict=True):
                if isinstance(key, ast.Constant) and key.value in keys \
                        and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    texts.append((f"{field.get('name')}.{key.value}", value.value.strip()))
    return texts


def code_texts():
    """CODE_TEXTS of the demo's Python code, without importing it (no Odoo needed)."""
    with open(CODE_FILE, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["CODE_TEXTS"]:
            return [tuple(text) for text in ast.literal_eval(node.value)]
    return []


def demo_texts():
    """[(xml id, field, English text)] of the demo files, in file order."""
    texts = []
    for path in sorted(glob.glob(os.path.join(ROOT, "demo", "*.xml"))):
        for record in ET.parse(path).iter("record"):
            fields = TEXT_FIELDS.get(record.get("model"), set())
            lines = LINE_FIELDS.get(record.get("model"), {})
            xml_id = record.get("id")
            xml_id = xml_id if "." in xml_id else f"crm_industrial.{xml_id}"
            for field in record.findall("field"):
                if field.get("name") in lines and field.get("eval"):
                    texts += [(xml_id, name, text) for name, text in line_texts(field, lines[field.get("name")])]
                if field.get("name") not in fields or field.get("eval") or field.get("ref"):
                    continue
                text = (field.text or "") + "".join(ET.tostring(child, encoding="unicode") for child in field)
                if text.strip():
                    texts.append((xml_id, field.get("name"), text.strip()))
    return texts + code_texts()


def main(lang):
    path = os.path.join(ROOT, "demo", "i18n", f"{lang}.csv")
    known = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8", newline="") as file:
            known = {(row["xml_id"], row["field"], row["source"]): row["translation"] for row in csv.DictReader(file)}
    rows = [(*text, known.get(text, "")) for text in demo_texts()]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    missing = sum(1 for row in rows if not row[3])
    print(f"{path}: {len(rows)} texts, {missing} without a translation")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "zh_CN"))
