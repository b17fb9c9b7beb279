"""Build the static files that come from packages: the typeface and the icon sprite.

Run at install (``make assets``, which ``make run`` and ``make test`` depend on; the
Dockerfile runs it too): ``python -m convergence.assets``. Nothing is fetched at run time
and nothing from a CDN: both sources are Python packages installed by pip with the rest
(``fontpkg-atkinson-hyperlegible``, ``lucide``), so a fresh machine needs no other tool.

The output, ``convergence/static/generated/``, is not committed: it is a copy of what the
pinned packages hold, rebuilt from them, and a test (tests/design/test_assets.py) rebuilds it
in a temporary folder and compares, so a stale copy (a package upgraded, an icon added to
ICONS) fails the suite instead of showing a missing icon.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from importlib import metadata, resources
from pathlib import Path
from xml.etree import ElementTree

OUTPUT = Path(__file__).resolve().parent / "static" / "generated"
SVG_NS = "http://www.w3.org/2000/svg"

# Atkinson Hyperlegible (Braille Institute, SIL Open Font License 1.1): letters told apart
# at a glance (I l 1, O 0, b d p q), made for readers with low vision.
FONT_PACKAGE = "fontpkg_atkinson_hyperlegible"
FONT_FILES = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf",
              "AtkinsonHyperlegible-Italic.ttf")

# The Lucide icons the interface uses (ISC licence). Name in the sprite: the Lucide name.
# Add one here, then `make assets`: the sprite holds only these.
ICONS = (
    "menu", "x", "house", "map-pin", "map", "calendar", "calendar-clock", "users", "user", "user-plus",
    "log-in", "log-out", "languages", "vote", "file-text", "list-checks", "hand", "message-square",
    "plus", "check", "circle-check", "circle-alert", "triangle-alert", "info", "arrow-right",
    "chevron-right", "chevron-down", "download", "qr-code", "printer", "mail", "presentation",
    "clock", "shield-check", "settings", "book-open", "inbox", "search", "pencil", "trash-2",
    "external-link", "scale", "sprout", "landmark",
)


def _lucide_version() -> str:
    return metadata.version("lucide")


def icon_sprite() -> str:
    """One SVG holding a ``<symbol id="name">`` per icon of ICONS, drawn in currentColor."""
    ElementTree.register_namespace("", SVG_NS)
    sprite = ElementTree.Element(f"{{{SVG_NS}}}svg")
    with resources.files("lucide").joinpath("lucide.zip").open("rb") as data, zipfile.ZipFile(data) as icons:
        for name in ICONS:
            try:
                source = ElementTree.fromstring(icons.read(f"{name}.svg"))
            except KeyError:
                raise SystemExit(f"icon {name!r} is not in Lucide (lucide {_lucide_version()})") from None
            symbol = ElementTree.SubElement(sprite, f"{{{SVG_NS}}}symbol",
                                            {"id": name, "viewBox": source.get("viewBox", "0 0 24 24")})
            # The drawing attributes go on a group: a <symbol>'s own presentation attributes
            # are not inherited by every browser once <use> copies it.
            group = ElementTree.SubElement(symbol, f"{{{SVG_NS}}}g", {
                "fill": "none", "stroke": "currentColor", "stroke-width": "2",
                "stroke-linecap": "round", "stroke-linejoin": "round"})
            group.extend(list(source))
    body = ElementTree.tostring(sprite, encoding="unicode")
    notice = (f"<!-- Lucide icons (https://lucide.dev), ISC License; from the lucide package "
              f"{_lucide_version()}. Built by convergence/assets.py: do not edit. -->\n")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + notice + body + "\n"


def font_files() -> dict[str, bytes]:
    folder = resources.files(FONT_PACKAGE)
    files = {name: folder.joinpath("files", name).read_bytes() for name in FONT_FILES}
    files["OFL.txt"] = folder.joinpath("LICENSE").read_bytes()
    return files


def expected() -> dict[str, bytes]:
    """Every generated file, by its path under OUTPUT."""
    files = {"icons.svg": icon_sprite().encode()}
    files.update({f"fonts/{name}": content for name, content in font_files().items()})
    return files


def build(output: Path = OUTPUT) -> list[Path]:
    written = []
    for name, content in expected().items():
        path = output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit la police et les icônes dans convergence/static/generated/.")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    paths = build(args.output)
    print(f"{len(paths)} fichiers statiques prêts dans {args.output} ({len(ICONS)} icônes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
