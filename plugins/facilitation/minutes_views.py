"""The minutes of an assembly: published on its page (a panel links here), written item by
item by the note-taker, exported as Markdown and the statistics as CSV."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from convergence.web.downloads import csv_download, download
from convergence.web.errors import abort_with
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from . import minutes
from .clock import minutes_seconds
from .forms import NotesForm
from .views import AssemblyHandler, ItemHandler, bp


def minutes_url(assembly) -> str:
    return url_for("facilitation.minutes", assembly_id=assembly.id)


def group_label(group) -> str:
    return group if group is not None else _("No list")


def figure_lines(figures) -> list[str]:
    """The statistics of an item or a meeting in sentences, for the page and the export."""
    if not figures.turns:
        return [_("Nobody spoke.")]
    lines = [ngettext("%(num)d turn, %(time)s in all, by %(people)d people.",
                      "%(num)d turns, %(time)s in all, by %(people)d people.", figures.turns,
                      time=minutes_seconds(figures.seconds), people=figures.people),
             _("First time speaking in the meeting: %(share)d %% of the turns.",
               share=round(100 * figures.first_share))]
    for group, by in sorted(figures.by_group.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        lines.append("- " + ngettext("%(group)s: %(num)d turn, %(time)s", "%(group)s: %(num)d turns, %(time)s",
                                     by.turns, group=group_label(group), time=minutes_seconds(by.seconds)))
    return lines


@route(bp, "/assemblees/<int:assembly_id>/compte-rendu", "minutes")
class MinutesPage(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        return render_template("facilitation/minutes.html", assembly=self.assembly,
                               minutes=minutes.minutes_of(self.assembly), figure_lines=figure_lines)


@route(bp, "/assemblees/<int:assembly_id>/compte-rendu.md", "minutes_markdown")
class MinutesMarkdown(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        texts = {"title": _("Minutes"), "decisions": _("Decisions"), "statistics": _("Speaking statistics"),
                 "meeting": _("The whole meeting"), "figures": figure_lines,
                 # The pages' links are paths; the export is read elsewhere: the public address.
                 "link": lambda path: current_app.config["PUBLIC_URL"].rstrip("/") + path}
        body = minutes.as_markdown(self.assembly, minutes.minutes_of(self.assembly), texts)
        return download(body, f"compte-rendu-{self.assembly.id}.md", "text/markdown; charset=utf-8")


@route(bp, "/assemblees/<int:assembly_id>/statistiques-de-parole.csv", "statistics_csv")
class StatisticsCsv(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        found = minutes.minutes_of(self.assembly, written=False)
        rows = []
        for entry in found.items:
            for group, by in entry.figures.by_group.items():
                rows.append([entry.item.position + 1, entry.item.title, group_label(group), by.turns,
                             round(by.seconds)])
        for group, by in found.meeting.by_group.items():
            rows.append(["", _("The whole meeting"), group_label(group), by.turns, round(by.seconds)])
        header = [_("Item"), _("Title"), _("List"), _("Turns"), _("Seconds")]
        return csv_download(header, rows, f"statistiques-de-parole-{self.assembly.id}.csv")


@route(bp, "/assemblees/<int:assembly_id>/ordre-du-jour/<int:item_id>/notes", "notes", methods=("GET", "POST"))
class Notes(ItemHandler):
    login_required = True
    permission = "facilitation.take_notes"

    def notes_form(self) -> NotesForm:
        return self.form(NotesForm, obj=minutes.notes_of(self.assembly, self.item))

    def get(self):
        return self.render()

    def post(self):
        form = self.notes_form()
        if not form.validate():
            return self.invalid()
        minutes.save_notes(self.assembly, self.item, current_user, form.body.data or "", form.decisions.data or "")
        flash(_("The notes have been saved."), "success")
        return redirect(minutes_url(self.assembly) + f"#point-{self.item.id}")

    def render(self):
        return render_template("facilitation/notes.html", assembly=self.assembly, item=self.item,
                               form=self.notes_form())


@route(bp, "/assemblees/<int:assembly_id>/compte-rendu/prise-de-notes", "note_takers", methods=("GET", "POST"))
class NoteTakers(AssemblyHandler):
    """The facilitation names who takes the notes, among the people of the assembly."""

    login_required = True
    permission = "facilitation.run"

    def get(self):
        return self.render()

    def post(self):
        require_confirmed_post()
        user_id = whole_number(request.form.get("user_id", ""))
        if user_id is None or user_id not in {u.id for u in minutes.candidates(self.assembly)}:
            abort_with(400, _("Choose one of the people of the assembly."))
        # The page's buttons send 1 (name) or 0 (take the role back); anything else is no
        # button of it, and must not take someone's role back.
        named = request.form.get("named")
        if named not in ("0", "1"):
            abort_with(400, _("This form cannot be read: reload the page."))
        minutes.set_note_taker(self.assembly, user_id, named == "1")
        return redirect(url_for("facilitation.note_takers", assembly_id=self.assembly.id))

    def render(self):
        named = {u.id for u in minutes.note_takers(self.assembly)}
        return render_template("facilitation/note_takers.html", assembly=self.assembly,
                               people=minutes.candidates(self.assembly), named=named,
                               confirm=ConfirmForm(formdata=None))
