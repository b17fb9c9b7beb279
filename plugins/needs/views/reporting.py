"""The report form: a commune member reports a need (a click on the map fills its place)."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from convergence.web import replay
from convergence.web.handlers import route

from .. import lists, reporting
from ..forms import NeedForm
from .base import CommunePage, bp


@route(bp, "/communes/<slug>/besoins/signaler", "report", methods=("GET", "POST"))
class Report(CommunePage):
    permission = "needs.report"

    def need_form(self) -> NeedForm:
        if not hasattr(self, "_lists"):
            self._lists = lists.of(self.commune)
        return self.form(NeedForm).offer(self.commune, self._lists)

    def get(self):
        return self.render()

    def post(self):
        form = self.need_form()
        if not form.validate():
            return self.invalid()
        need = reporting.report(self.commune, current_user, show_author=form.show_author.data, **form.values())
        url = self.to("needs.show", need_id=need.id)
        replay.claim(url)
        flash(_("Thank you: your need has been reported."), "success")
        return redirect(url)

    def render(self):
        return self.page("needs/report.html", form=self.need_form(),
                         outlines_url=self.to("needs.neighbourhoods_map"))
