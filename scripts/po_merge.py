"""Merge the addon's .pot (crm_industrial.pot, crm_industrial_stock.pot) into each .po of the
folder: keep translations, add new terms untranslated, drop terms that are gone. Prints what is
left to translate."""

import glob
import os
import sys

import polib


def merge(pot_path, po_path):
    po = polib.pofile(po_path)
    known = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in po}
    merged = polib.pofile(pot_path)
    merged.metadata = po.metadata
    for entry in merged:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
    merged.save(po_path)
    return [entry.msgid for entry in merged if not entry.msgstr]


def main(folder):
    (pot_path,) = glob.glob(os.path.join(folder, "*.pot"))
    missing = 0
    for po_path in sorted(glob.glob(os.path.join(folder, "*.po"))):
        untranslated = merge(pot_path, po_path)
        missing += len(untranslated)
        for msgid in untranslated:
            print(f"{os.path.basename(po_path)}: untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
