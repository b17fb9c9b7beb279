"""QR codes as SVG, drawn by segno (pure Python, no image library)."""

from __future__ import annotations

import io

import segno


def qr_svg(data: str, scale: int = 8) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False,
                                      svgns=True, title="QR", nl=False)
    return buffer.getvalue().decode()
