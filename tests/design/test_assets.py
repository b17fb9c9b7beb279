"""The typeface and the icon sprite in convergence/static/generated/ are what the pinned
packages give now (convergence/assets.py): built at install, not committed, and rebuilt here in
a temporary folder to compare, so a stale copy fails instead of showing a missing icon."""

from __future__ import annotations

import re

from convergence import assets


def test_the_generated_files_are_up_to_date(tmp_path):
    fresh = assets.build(tmp_path)
    assert fresh, "nothing built"
    for path in fresh:
        name = path.relative_to(tmp_path)
        installed = assets.OUTPUT / name
        assert installed.exists(), f"{installed} is missing: run `make assets`"
        assert installed.read_bytes() == path.read_bytes(), f"{installed} is stale: run `make assets`"


def test_the_sprite_holds_one_symbol_per_icon_drawn_in_current_colour():
    sprite = assets.icon_sprite()
    ids = re.findall(r'<symbol id="([a-z0-9-]+)" viewBox="0 0 24 24">', sprite)
    assert ids == list(assets.ICONS)
    assert sprite.count('stroke="currentColor"') == len(assets.ICONS)
    assert "ISC" in sprite  # the icons' licence travels with them
    assert "<script" not in sprite and "style=" not in sprite


def test_the_typeface_files_are_fonts_with_their_licence():
    files = assets.font_files()
    for name in assets.FONT_FILES:
        assert files[name][:4] == b"\x00\x01\x00\x00", f"{name} is not a TrueType font"
    assert b"SIL OPEN FONT LICENSE" in files["OFL.txt"].upper()


def test_the_sheet_names_the_files_that_are_built(client):
    sheet = (assets.OUTPUT.parent / "css" / "convergence.css").read_text(encoding="utf-8")
    for name in re.findall(r'url\("\.\./generated/([^"]+)"\)', sheet):
        assert (assets.OUTPUT / name).exists(), name
        assert client.get(f"/static/generated/{name}").status_code == 200
    assert client.get("/static/generated/icons.svg").status_code == 200


def test_an_unknown_icon_stops_the_build(monkeypatch):
    import pytest

    monkeypatch.setattr(assets, "ICONS", ("menu", "no-such-icon"))
    with pytest.raises(SystemExit, match="no-such-icon"):
        assets.icon_sprite()
