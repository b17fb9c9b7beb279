"""The majority-judgment plug-in: what it declares to the core."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.plugin_engine import Plugin
from convergence.web.links import absolute_url

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models
from .status import LIVE_EVENTS, OPEN, results_visible, status


class MajorityJudgmentPlugin(Plugin):
    name = "mj"
    title = _l("Majority-judgment votes")
    description = _l("Decide between options by grading each of them (Mieux Voter's majority judgment), "
                     "online or on paper in the room.")
    space_kinds = ("assembly", "circle")

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from flask_login import user_logged_out

        from convergence import phases

        from . import permissions  # noqa: F401  (registers the rules)
        from .status import TIMED_VOTE

        # Opened and closed at their times by the worker (convergence.phases).
        phases.register(self.app, TIMED_VOTE)
        from .views import forget_voting_secrets

        # The core keeps the session at logout (language…); receipts and codes must go.
        user_logged_out.connect(forget_voting_secrets, self.app)

        self.connect_hook("assembly-nav", self._nav)
        self.connect_hook("assembly-panels", self._panels)
        # Circle votes: a link and a panel on the circle page, when the core offers the hooks
        # (the page /cercles/<id>/votes is reachable by URL in any case).
        from convergence.hooks import HOOKS

        if "circle-nav" in HOOKS:
            self.connect_hook("circle-nav", self._circle_nav)
        if "circle-panels" in HOOKS:
            self.connect_hook("circle-panels", self._circle_panels)
        self.connect_hook("agenda-item-kinds", self._agenda_kinds)
        self.connect_hook("exports", self._exports)
        self.connect_hook("user-data", self._user_data)
        from . import erasure

        self.connect_hook("account-erasure-summary", erasure.summary)
        self.connect_hook("account-erasing", erasure.erase)
        self.connect_hook("live-events", self._live_events)
        self.connect_hook("counting-methods", self._counting_methods)

    def get_blueprints(self):
        from .views import bp

        return [bp]

    def get_cli_commands(self):
        from .cli import mj_tally

        return [mj_tally]

    # -- hooks ------------------------------------------------------------------------
    @staticmethod
    def _nav(assembly):
        return [(_l("Votes"), url_for("mj.index", assembly_id=assembly.id))]

    @staticmethod
    def _votes(assembly):
        return db.session.scalars(
            db.select(models.Vote).where(models.Vote.assembly_id == assembly.id).order_by(models.Vote.id)
        ).all()

    def _panels(self, assembly):
        votes = [v for v in self._votes(assembly) if status(v) == OPEN]
        if not votes:
            return []
        return [Markup(render_template("mj/_panel.html", assembly=assembly, votes=votes))]

    @staticmethod
    def _circle_nav(circle):
        return [(_l("Votes"), url_for("mj.circle_index", circle_id=circle.id))]

    @staticmethod
    def _circle_panels(circle):
        votes = [v for v in db.session.scalars(
            db.select(models.Vote).where(models.Vote.circle_id == circle.id).order_by(models.Vote.id)
        ) if status(v) == OPEN]
        if not votes:
            return []
        return [Markup(render_template("mj/_panel.html", votes=votes))]

    @staticmethod
    def _agenda_kinds():
        return [("vote_jm", _l("Majority-judgment vote"))]

    # Votes belong to an assembly or a circle; a commune publishes none of its own.
    _VOTE_SPACE = {"assembly": models.Vote.assembly_id, "circle": models.Vote.circle_id}

    def _exports(self, target, kind):
        column = self._VOTE_SPACE.get(kind)
        if column is None:
            return []
        entries = []
        for vote in db.session.scalars(db.select(models.Vote).where(column == target.id).order_by(models.Vote.id)):
            if results_visible(vote):
                # gettext, not lazy_gettext: a lazy string passes Jinja's autoescape untouched
                # (its __html__ is its text), and the question is typed by a person.
                entries.append((_("Results of « %(question)s » (CSV)", question=vote.question),
                                absolute_url("mj.results_csv", vote_id=vote.id)))
                entries.append((_("Results of « %(question)s » (JSON)", question=vote.question),
                                absolute_url("mj.results_json", vote_id=vote.id)))
        return entries

    @staticmethod
    def _user_data(user):
        # That the person took part, never what they voted: ballots are not linked to anyone.
        rows = db.session.execute(
            db.select(models.Vote.id, models.Vote.question, models.Vote.assembly_id, models.Vote.circle_id)
            .join(models.Participation, models.Participation.box_id == models.Vote.box_id)
            .where(models.Participation.user_id == user.id)
            .order_by(models.Vote.id)
        ).all()
        return {"mj_participations": [
            {"vote_id": vote_id, "question": question, "assembly_id": assembly_id, "circle_id": circle_id}
            for vote_id, question, assembly_id, circle_id in rows
        ]}

    @staticmethod
    def _counting_methods():
        from .ballots import MAJORITY_JUDGMENT

        return [MAJORITY_JUDGMENT]

    @staticmethod
    def _live_events():
        return list(LIVE_EVENTS)
