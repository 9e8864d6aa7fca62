"""The English catalogue is complete and compiled: no entry left empty or fuzzy after
``makemessages``, placeholders kept, and the committed ``.mo`` says what the ``.po`` says
(run ``compilemessages`` after editing the ``.po``). Plain Python: no gettext tools needed."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import congvu

LOCALE = Path(congvu.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def _entries(text: str) -> list[dict]:
    """The catalogue's entries: flags, msgctxt, msgid, msgid_plural, msgstr / msgstr[n]."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            else:
                word, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if word.startswith("msgstr"):
                    key = int(word[7:-1]) if "[" in word else 0
                    entry["msgstr"][key] = value
                else:
                    key = word
                    entry[key] = value
        if "msgid" in entry:
            entries.append(entry)
    return entries


def test_every_english_entry_is_translated_and_not_fuzzy():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 600
    problems = []
    for e in entries[1:]:  # the first is the header
        forms = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        for n, text in e["msgstr"].items():
            if not text:
                problems.append(("empty", e["msgid"]))
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(forms[min(n, 1)])):
                problems.append(("placeholders", e["msgid"], text))
    assert problems == []


def test_the_compiled_catalogue_matches_the_po_file():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in entries[1:]:
        ctx, msgid = e.get("msgctxt"), e["msgid"]
        if "msgid_plural" in e:
            got = [
                compiled.npgettext(ctx, msgid, e["msgid_plural"], n)
                if ctx
                else compiled.ngettext(msgid, e["msgid_plural"], n)
                for n in (1, 2)
            ]
            want = [e["msgstr"][0], e["msgstr"][1]]
        else:
            got = [compiled.pgettext(ctx, msgid) if ctx else compiled.gettext(msgid)]
            want = [e["msgstr"][0]]
        if got != want:
            stale.append(msgid)
    assert stale == []
