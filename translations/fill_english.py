"""Fill the English catalog: English is the source language, so msgstr = msgid.

Run after `make translations-update`:

    .venv/bin/python translations/fill_english.py [path/to/en/messages.po]

Every entry gets its msgid as translation (msgstr[0] = msgid and msgstr[1] =
msgid_plural for plural entries), fuzzy flags are dropped and obsolete entries
removed. The file is written back the way `pybabel update` writes it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

DEFAULT = Path(__file__).resolve().parent / "en" / "LC_MESSAGES" / "messages.po"


def fill(path: Path) -> int:
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    count = 0
    for message in catalog:
        if not message.id:  # the header
            continue
        if message.pluralizable:
            singular, plural = message.id[0], message.id[1]
            message.string = tuple([singular] + [plural] * (catalog.num_plurals - 1))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
        count += 1
    catalog.fuzzy = False
    catalog.obsolete.clear()
    with path.open("wb") as f:
        write_po(f, catalog, width=76)
    return count


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [DEFAULT]
    for path in paths:
        print(f"{path}: {fill(path)} entries filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
