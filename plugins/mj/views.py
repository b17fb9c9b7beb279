"""The vote pages: the votes of an assembly or a circle, a new vote, a vote's page, its
change before it opens, opening and closing it by hand (closing asks for confirmation).

Every page is a handler of the core's one request flow (convergence/web/handlers.py):
load what the URL names (404) → mj switched on in the vote's assembly or circle (404) →
access (permissions.py) → work → the flow commits once → render; a refusal draws the page
again with its message and what the person typed. The other pages are in
``casting_views.py`` (ballots, voting codes typed), ``results_views.py`` (results, the
register) and ``paper_views.py`` (in the room: printed ballots, codes, paper counts); they
add their routes to this module's blueprint and build on its handlers.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db, on_commit
from convergence.loaders import assembly_or_404, circle_or_404
from convergence.permissions import can
from convergence.web import replay
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import Handler, route

from . import ballots, closing, votes
from .forms import VoteForm, voter_choices
from .loading import NAME, participants, vote_or_404, votes_of
from .models import Vote
from .permissions import voter
from .results import scale_of
from .status import CLOSED, DRAFT, OPEN, SCHEDULED, STATUS_LABELS, results_visible, status, sync

bp = Blueprint("mj", __name__, template_folder="templates", static_folder="static",
               static_url_path="/mj/static")


class MjPage(Handler):
    """A page of the plug-in. What is announced (live channel, signals) once a change is
    committed goes through the core's after-commit queue (:meth:`after_commit`): run after
    the flow's commit, dropped when the action is refused and rolled back."""

    feature = NAME

    @staticmethod
    def after_commit(announce) -> None:
        on_commit(db.session(), announce)


class SpacePage(MjPage):
    """A page of an assembly's votes or of a circle's (the URL says which)."""

    def load(self, assembly_id: int | None = None, circle_id: int | None = None):
        self.in_circle = circle_id is not None
        self.place = circle_or_404(circle_id) if self.in_circle else assembly_or_404(assembly_id)
        return self.place

    def space_context(self) -> dict:
        return {"assembly": None if self.in_circle else self.place, "circle": self.place if self.in_circle else None}


class VotePage(MjPage):
    """A page of one vote (``/votes/<id>/…``), of an assembly or of a circle: the vote is
    loaded with its space and the plug-in's switch there in one query (loading.py)."""

    #: Whether the page shows the vote's options and circle (loaded in the same query).
    for_page = True

    def load(self, vote_id: int, **_more):
        self.vote, space = vote_or_404(vote_id, for_page=self.for_page)
        self.status = sync(self.vote)
        return space

    def access_target(self):
        return self.vote

    def page(self, template: str, **context):
        return render_template(template, vote=self.vote, assembly=self.vote.assembly, status=self.status,
                               **context)

    def to_vote(self):
        return redirect(url_for("mj.show", vote_id=self.vote.id))


# -- the votes of an assembly or a circle ------------------------------------------------

def _listing(template: str, place, column, **context):
    return render_template(template, votes=votes_of(column, place.id, newest_first=True), status_of=status,
                           labels=STATUS_LABELS, **context)


@route(bp, "/assemblees/<int:assembly_id>/votes", "index")
class AssemblyVotes(SpacePage):
    def get(self):
        return _listing("mj/index.html", self.place, Vote.assembly_id, assembly=self.place)


@route(bp, "/cercles/<int:circle_id>/votes", "circle_index")
class CircleVotes(SpacePage):
    """The votes of a circle (and, for its facilitators, a link to create one)."""

    def get(self):
        return _listing("mj/circle_index.html", self.place, Vote.circle_id, circle=self.place)


# -- a new vote, a vote changed ----------------------------------------------------------

class VoteFormPage:
    """The vote's form, with the voters' choices of the vote's kind of space."""

    def vote_form(self, in_circle: bool) -> VoteForm:
        form = self.form(VoteForm)
        form.voters.choices = voter_choices(in_circle)
        return form

    @staticmethod
    def definition(form: VoteForm) -> dict:
        opens_at, closes_at = form.schedule()
        return dict(description=form.description.data or "", scale=form.scale.data,
                    custom_grades=form.grade_lines(), voters=form.voters.data,
                    live_results=form.live_results.data, opens_at=opens_at, closes_at=closes_at)


class NewVote(VoteFormPage, SpacePage):
    permission = "mj.vote.create"

    def get(self):
        # Opened from an agenda item (the facilitation console's one tap): the question
        # starts as the item's title, for the facilitator to finish.
        suggested = request.args.get("question", "").strip()
        if suggested:
            self.vote_form(self.in_circle).question.data = suggested[:300]
        return self.render()

    def post(self):
        form = self.vote_form(self.in_circle)
        if not form.validate():
            return self.invalid()
        place = {"circle": self.place} if self.in_circle else {"assembly": self.place}
        vote = votes.create(question=form.question.data, options=form.option_lines(), created_by=current_user,
                            **place, **self.definition(form))
        replay.claim(url_for("mj.show", vote_id=vote.id))
        self.after_commit(lambda: votes.created_announced(vote))
        flash(_("The vote has been created."), "success")
        return redirect(url_for("mj.show", vote_id=vote.id))

    def render(self):
        return render_template("mj/form.html", form=self.vote_form(self.in_circle), vote=None, editable=True,
                               **self.space_context())


@route(bp, "/assemblees/<int:assembly_id>/votes/nouveau", "create", methods=("GET", "POST"))
class NewAssemblyVote(NewVote):
    pass


@route(bp, "/cercles/<int:circle_id>/votes/nouveau", "circle_create", methods=("GET", "POST"))
class NewCircleVote(NewVote):
    pass


@route(bp, "/votes/<int:vote_id>/modifier", "edit", methods=("GET", "POST"))
class EditVote(VoteFormPage, VotePage):
    permission = "mj.vote.manage"

    def editable(self) -> bool:
        return self.status in (DRAFT, SCHEDULED)

    def get(self):
        if not self.editable():
            raise votes.VoteDefinitionError(_("A vote can only be changed before it opens."), 409)
        return self.render()

    def post(self):
        form = self.vote_form(self.vote.circle_id is not None)
        if not form.validate():
            return self.invalid()
        opened = votes.update(self.vote, question=form.question.data, options=form.option_lines(),
                              **self.definition(form))
        vote = self.vote
        if opened:
            self.after_commit(lambda: votes.created_announced(vote))
        flash(_("Changes saved."), "success")
        return self.to_vote()

    def render(self):
        form = self.vote_form(self.vote.circle_id is not None)
        if not form.is_submitted():
            form.fill_from(self.vote)
        return render_template("mj/form.html", assembly=self.vote.assembly, circle=self.vote.circle, form=form,
                               vote=self.vote, editable=self.editable())


# -- one vote ----------------------------------------------------------------------------

@route(bp, "/votes/<int:vote_id>", "show")
class VoteShow(VotePage):
    def get(self):
        return self.render()

    def render(self):
        vote = self.vote
        online, paper = participants(vote)
        someone = voter(vote) if self.status == OPEN else None
        voted = someone is not None and ballots.has_participated(vote, user_id=someone[0], code_id=someone[1])
        return self.page("mj/show.html", labels=STATUS_LABELS, online=online, paper=paper,
                         can_vote=someone is not None, voted=voted, scale=scale_of(vote),
                         visible=results_visible(vote), manage=can("mj.vote.manage", vote))


@route(bp, "/votes/<int:vote_id>/ouvrir", "open_now", methods=("POST",))
class OpenVote(VoteShow):
    """« Open voting now », a button of the vote's page."""

    permission = "mj.vote.manage"

    def post(self):
        require_confirmed_post()
        previous = votes.open_now(self.vote)
        vote = self.vote
        self.after_commit(lambda: votes.opened_announced(vote, previous))
        flash(_("Voting is open."), "success")
        return self.to_vote()

    def render(self):
        self.status = status(self.vote)  # drawn again after a refusal: as it stands now
        return super().render()


@route(bp, "/votes/<int:vote_id>/fermer", "close_now", methods=("GET", "POST"))
class CloseVote(VotePage):
    """Closing by hand is final (no more ballots, the register fixed, the results
    published): the vote's page links here, and this page asks to confirm. It works
    without JavaScript: the confirmation is a page, its button the only thing that closes."""

    permission = "mj.vote.manage"

    def get(self):
        return self.render()

    def post(self):
        require_confirmed_post()
        previous = closing.close_now(self.vote)
        vote, closed_by = self.vote, current_user._get_current_object()
        self.after_commit(lambda: closing.close_announced(vote, previous, closed_by))
        flash(_("Voting is closed. The results and the register of ballots are published."), "success")
        return redirect(url_for("mj.results", vote_id=self.vote.id))

    def render(self):
        self.status = status(self.vote)  # drawn again after a refusal: as it stands now
        online, paper = participants(self.vote)
        return self.page("mj/close.html", labels=STATUS_LABELS, online=online, paper=paper,
                         form=self.form(ConfirmForm))


def closed_or_not_open(current: str) -> str:
    return _("This vote is closed.") if current == CLOSED else _("This vote is not open yet.")
