"""The synthesis of a commune's needs, and putting it on an assembly's agenda."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from convergence import audit
from convergence.permissions import can
from convergence.web import replay
from convergence.web.handlers import route
from convergence.web.links import absolute_url

from .. import synthesis
from ..forms import AgendaForm
from .base import CommunePage, bp


@route(bp, "/communes/<slug>/besoins/synthese", "synthesis")
class Synthesis(CommunePage):
    def get(self):
        return self.render()

    def agenda_form(self) -> AgendaForm:
        if not hasattr(self, "_assemblies"):
            self._assemblies = synthesis.open_assemblies(self.commune) \
                if can("needs.facilitate", self.commune) else []
        return self.form(AgendaForm).offer(self._assemblies)

    def render(self):
        columns, table = synthesis.table(self.commune)
        return self.page("needs/synthesis.html", columns=columns, table=table, form=self.agenda_form())


@route(bp, "/communes/<slug>/besoins/synthese/ordre-du-jour", "synthesis_to_agenda", methods=("POST",))
class PutOnAgenda(Synthesis):
    permission = "needs.facilitate"

    def post(self):
        form = self.agenda_form()
        if not form.validate():
            return self.invalid()
        assembly = form.assembly()
        replay.claim(url_for("assemblies.show", assembly_id=assembly.id))
        synthesis.put_on_agenda(self.commune, assembly, absolute_url("needs.synthesis", slug=self.commune.slug))
        audit.record("needs.agenda", commune_id=self.commune.id, target=f"assembly:{assembly.id}")
        flash(_("The synthesis has been put on the agenda."), "success")
        return redirect(url_for("assemblies.show", assembly_id=assembly.id))
