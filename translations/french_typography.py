"""Put the narrow no-break spaces of French typography in the French catalog (U+202F before
« : ; ! ? » and inside « guillemets »; rules in convergence/french_typography.py).

Run by `make translations-update` after the catalogs are updated, so a msgstr typed with a
plain space, or brought back by a merge, is mended before it is compiled:

    .venv/bin/python translations/french_typography.py [path/to/fr/messages.po]

The file is written back only when something changed, the way `pybabel update` writes it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from convergence.french_typography import fix

DEFAULT = Path(__file__).resolve().parent / "fr" / "LC_MESSAGES" / "messages.po"


def mend(path: Path) -> int:
    with path.open("rb") as f:
        catalog = read_po(f, locale="fr")
    count = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.string, tuple):
            mended = tuple(fix(s) for s in message.string)
        else:
            mended = fix(message.string)
        if mended != message.string:
            message.string = mended
            count += 1
    if count:
        with path.open("wb") as f:
            write_po(f, catalog, width=76)
    return count


def main(argv: list[str]) -> int:
    for path in [Path(a) for a in argv] or [DEFAULT]:
        print(f"{path}: {mend(path)} entries given their French spaces")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
