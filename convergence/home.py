"""The home page: what one can do here, in plain words, and what is open now — votes and
consent rounds of the plug-ins (hook ``open-now``), assemblies coming, communes — each
list read in one query (tests/core/test_home.py counts them)."""

from __future__ import annotations

from flask import render_template

from . import open_now


def page():
    return render_template("home.html", open_items=open_now.open_now(None),
                           upcoming=open_now.coming_assemblies(), communes=open_now.communes())
