"""The votes between wordings (« votes entre rédactions »): their list with the committee's
form to start one, a vote's page (the wordings, its state and winner, the link to the mj
vote), the mandated delegate's way to their delegation's ballot, and the committee's close.
The work is in wording_vote.py; the vote itself is the mj plug-in's."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField

from convergence.drafting.diff import diff
from convergence.extensions import db
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.forms import ConfirmForm
from convergence.web.handlers import route

from . import delegates, floor, wording_vote
from .committee_views import _amendments, _where
from .views import bp
from .vote_views import DeclarationPage
from .wording_models import RESULT_AMENDMENT, RESULT_CURRENT, RESULT_TIE, RESULT_UNAPPLIED, WordingVote

STATE_LABELS = {"draft": _l("not open yet"), "scheduled": _l("not open yet"), "open": _l("voting open"),
                "closed": _l("voting closed")}


class WordingForm(FlaskForm):
    amendments = SelectMultipleField(_l("Amendments that exclude one another"), coerce=int, validate_choice=False)


def result_label(w: WordingVote) -> str:
    if w.result == RESULT_AMENDMENT and w.winner is not None:
        return _("Chosen: amendment A%(n)d", n=w.winner.number)
    if w.result == RESULT_CURRENT:
        return _("Chosen: the current text (every amendment set aside)")
    if w.result == RESULT_TIE:
        return _("No single wording came first: the committee decides")
    if w.result == RESULT_UNAPPLIED:
        return _("The winning wording could not be applied: %(why)s", why=w.note)
    return ""


def shown(declaration) -> list[dict]:
    """What the declaration's and the committee's pages show of each vote between wordings
    (one mj look-up per vote: a declaration has a handful)."""
    from plugins.mj import api as mj

    found = []
    for w in wording_vote.of_declaration(declaration):
        vote = wording_vote.mj_vote(w)
        numbers = [f"A{a.number}" for a in wording_vote.amendments_of(w)]
        found.append({"row": w, "amendments": numbers, "state": wording_vote.state(w),
                      "state_label": STATE_LABELS.get(wording_vote.state(w), ""), "result": result_label(w),
                      "mj_url": mj.vote_url(vote) if vote is not None else None,
                      "url": url_for("cdc.declaration_wording", meeting_id=declaration.meeting_id, wording_id=w.id),
                      "question": vote.question if vote is not None else ""})
    return found


@route(bp, "/rencontres/<int:meeting_id>/declaration/redactions", "declaration_wordings", methods=("GET", "POST"))
class Wordings(DeclarationPage):
    post_permission = "cdc.organise"

    def render(self):
        candidates = []
        if self.organises():
            by_article: dict[tuple, list] = {}
            for a in _amendments(self.declaration):
                if a.outcome is None:
                    by_article.setdefault((a.kind, a.article_id), []).append(a)
            candidates = [(_where(rows[0]), rows) for rows in by_article.values() if len(rows) > 1]
        return self.draw("cdc/wordings.html", wording_votes=shown(self.declaration), candidates=candidates,
                         form=self.form(WordingForm))

    def get(self):
        return self.render()

    def post(self):
        form = self.form(WordingForm)
        form.validate()
        created = wording_vote.create(self.declaration, form.amendments.data or [], current_user)
        page = url_for("cdc.declaration_wording", meeting_id=self.meeting.id, wording_id=created.id)
        replay.claim(page)
        wording_vote.start(created)  # commits the group, the vote and the form's token together
        flash(_("The vote between wordings is open: each delegation's mandated delegate votes once."), "success")
        return redirect(page, 303)


class WordingPage(DeclarationPage):
    def load(self, meeting_id: int, wording_id: int):
        space = super().load(meeting_id)
        self.wording = db.session.get(WordingVote, wording_id)
        if self.wording is None or self.wording.declaration_id != self.declaration.id:
            abort(404)
        return space

    def render(self):
        w = self.wording
        rows = wording_vote.amendments_of(w)
        original = rows[0].amendment.original_text if rows else ""
        wordings = [{"label": f"A{a.number}", "delegation": a.delegation.name if a.delegation else _("the committee"),
                     "pieces": diff(a.amendment.original_text, a.amendment.new_text), "outcome": a.outcome}
                    for a in rows]
        info = next(s for s in shown(self.declaration) if s["row"].id == w.id)
        mine = delegates.mandated_delegation(self.meeting.id, current_user) if current_user.is_authenticated else None
        return self.draw("cdc/wording_vote.html", wording=w, info=info, original=original, wordings=wordings,
                         mine=mine, is_open=wording_vote.is_open(w), ballot_form=self.form(ConfirmForm, "ballot"),
                         close_form=self.form(ConfirmForm, "close"))

    def get(self):
        return self.render()

    def back(self):
        return redirect(url_for("cdc.declaration_wording", meeting_id=self.meeting.id, wording_id=self.wording.id),
                        303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/redactions/<int:wording_id>", "declaration_wording")
class Wording(WordingPage):
    pass


@route(bp, "/rencontres/<int:meeting_id>/declaration/redactions/<int:wording_id>/bulletin",
       "declaration_wording_ballot", methods=("POST",))
class WordingBallot(WordingPage):
    """The mandated delegate gets their delegation's code and goes to mj's code page with it
    (mj keeps it for the ballot, then forgets it). Anyone else is refused, nothing stored."""

    posts = "ballot"

    def post(self):
        if not current_user.is_authenticated:
            raise Refused(_("Log in to vote for your delegation."), 401)
        delegation = floor.voter(self.declaration, current_user)
        if not self.form(ConfirmForm, "ballot").validate():
            return self.invalid()
        code = wording_vote.code_for(self.wording, delegation)
        return redirect(url_for("mj.code_entry", vote_id=self.wording.mj_vote_id, c=code), 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/redactions/<int:wording_id>/cloture",
       "declaration_wording_close", methods=("POST",))
class WordingClose(WordingPage):
    post_permission = "cdc.organise"
    posts = "close"

    def post(self):
        if not self.form(ConfirmForm, "close").validate():
            return self.invalid()
        wording_vote.close(self.wording, current_user)
        db.session.refresh(self.wording)
        flash(result_label(self.wording) or _("The vote between wordings is closed."), "success")
        return self.back()
