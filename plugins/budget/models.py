"""Tables of the participatory-budgeting plug-in, all prefixed ``budget_``.

A **process** (« budget participatif ») belongs to one space — a commune (the usual case),
an assembly or a circle — and holds an envelope in whole euros, optional areas
(neighbourhoods with their own envelopes) and categories, its calendar of phases, the rules
of its ballot (frozen once the vote opens), and its ballot box
(``convergence.balloting.models``: participations, voting codes, sealed ballots, ballots
written out at the close; secrecy is that schema's). Ballots are written in
:mod:`plugins.budget.ballots`' text.

A **project** is a participation subject (comments, supports, links to the needs it
answers: ``convergence.participation``). It is numbered within its process (the number is
what a paper ballot lists), reviewed for feasibility (only feasible projects are on the
ballot), and once funded followed to completion (:class:`FollowUp`, :class:`Milestone`).

**Paper ballots** are entered one by one (:class:`PaperSheet`): the Method of Equal Shares
needs every ballot, not per-project totals. A sheet may be entered twice by two people;
the count takes a sheet only when its entries agree (or it was entered once and double
entry is not asked for).

The **result** is computed at the close as deferred work (:class:`Result`: its state and
progress shown while it runs), stored, then published. The **council decision**
(:class:`Decision`, « délibération ») is recorded by an elected member: it adopts the
result or departs from it project by project (:class:`Departure`), each with a reason.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer,
                        LargeBinary, SmallInteger, String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from convergence.balloting.models import BallotBox
from convergence.extensions import db
from convergence.models import Circle, Space, User
from convergence.models.base import utcnow
from convergence.participation.subjects import HasSubject

NAME = "budget"
TITLE_MAX, PLACE_MAX, REASON_MAX, TEXT_MAX = 200, 120, 2_000, 20_000
DOCUMENT_MAX = 5 * 1024 * 1024  # bytes of an attached council decision (PDF)

# -- the calendar ------------------------------------------------------------------------
# dépôt des projets → étude de faisabilité → vote → dépouillement → résultats →
# délibération → suivi. The first three follow their dates; dépouillement starts at the
# vote's close and lasts until the result is computed; résultats once it is published;
# délibération once the council decision is recorded; suivi from then on.
SUBMISSION, REVIEW, VOTE, COUNTING, RESULTS, DELIBERATION, FOLLOW_UP = (
    "submission", "review", "vote", "counting", "results", "deliberation", "follow_up")
PHASES = (SUBMISSION, REVIEW, VOTE, COUNTING, RESULTS, DELIBERATION, FOLLOW_UP)
DATED_PHASES = (SUBMISSION, REVIEW, VOTE)  # the others start with an event

# -- the ballot --------------------------------------------------------------------------
# approval: tick between min_choices and max_choices projects; points: give at most
# max_points_per_project to a project and max_points in all (Toulouse 2019: 3 and 7);
# knapsack: tick projects whose costs add up to at most the envelope (legacy option).
APPROVAL, POINTS, KNAPSACK = "approval", "points", "knapsack"
BALLOT_KINDS = (APPROVAL, POINTS, KNAPSACK)
# The allocation rules a process may use, by their Pabulib names (allocation/rules.py).
PROCESS_RULES = ("equalshares/add1", "equalshares/add1-comparison", "greedy")
# "members": the members of the process's space; "codes": holders of single-use codes;
# "both": members with their account, and residents without one with a code.
VOTER_KINDS = ("members", "codes", "both")

# -- projects ----------------------------------------------------------------------------
SUBMITTED, FEASIBLE, NOT_FEASIBLE, MERGED, WITHDRAWN = (
    "submitted", "feasible", "not_feasible", "merged", "withdrawn")
PROJECT_STATUSES = (SUBMITTED, FEASIBLE, NOT_FEASIBLE, MERGED, WITHDRAWN)

# -- results -----------------------------------------------------------------------------
QUEUED, COMPUTING, COMPUTED, PUBLISHED, FAILED = "queued", "computing", "computed", "published", "failed"
RESULT_STATES = (QUEUED, COMPUTING, COMPUTED, PUBLISHED, FAILED)

# -- follow-up (suivi de réalisation) ----------------------------------------------------
TO_START, IN_PROGRESS, DONE, ABANDONED = "to_start", "in_progress", "done", "abandoned"
FOLLOW_UP_STATUSES = (TO_START, IN_PROGRESS, DONE, ABANDONED)


def new_seed() -> str:
    """The seed of the lot that breaks ties, drawn when the process is created and shown
    from then on: nobody can pick it after seeing the ballots."""
    return secrets.token_hex(16)


class Process(db.Model):
    __tablename__ = "budget_processes"
    __table_args__ = (
        CheckConstraint("envelope > 0", name="envelope_positive"),
        CheckConstraint("min_choices >= 0", name="min_choices_not_negative"),
        CheckConstraint("max_choices IS NULL OR max_choices >= min_choices", name="choices_in_order"),
        CheckConstraint("max_points_per_project IS NULL OR max_points_per_project > 0",
                        name="points_per_project_positive"),
        CheckConstraint("max_points IS NULL OR max_points > 0", name="points_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown as written
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised
    envelope: Mapped[int] = mapped_column(Integer)  # whole euros
    ballot_kind: Mapped[str] = mapped_column(String(12), default=APPROVAL)
    min_choices: Mapped[int] = mapped_column(Integer, default=1)
    max_choices: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_points_per_project: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule: Mapped[str] = mapped_column(String(40), default="equalshares/add1")
    voters: Mapped[str] = mapped_column(String(10), default="members")
    # Each paper sheet entered twice by two people, counted only when both agree.
    double_entry: Mapped[bool] = mapped_column(Boolean, default=False)
    tie_seed: Mapped[str] = mapped_column(String(64), default=new_seed)
    # Set when the vote opens: from then on the rules above are refused if changed.
    rules_frozen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The vote's state as last recorded by convergence.phases ("upcoming", "open", "closed").
    vote_state: Mapped[str] = mapped_column(String(10), default="upcoming")
    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), unique=True)
    # A circle of the commune whose members study the projects' feasibility besides the
    # facilitators (migration budget_0002_pb_projects); None: the facilitators alone.
    review_circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"),
                                                         nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    space: Mapped[Space] = relationship()
    box: Mapped[BallotBox] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship()
    review_circle: Mapped[Circle | None] = relationship()
    phases: Mapped[list[Phase]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                               order_by="Phase.position")
    areas: Mapped[list[Area]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                             order_by="Area.name")
    categories: Mapped[list[ProjectCategory]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                                      order_by="ProjectCategory.name")

    def __init__(self, **kwargs):
        kwargs.setdefault("box", BallotBox(method=NAME))
        super().__init__(**kwargs)

    def phase(self, name: str) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)

    @property
    def vote_opens_at(self) -> datetime | None:
        phase = self.phase(VOTE)
        return phase.starts_at if phase else None

    @property
    def vote_closes_at(self) -> datetime | None:
        phase = self.phase(VOTE)
        return phase.ends_at if phase else None

    @property
    def commune_id(self) -> int:
        return self.space.commune_id


class Phase(db.Model):
    """One phase of a process's calendar; only the dated phases (dépôt, étude, vote) have
    their dates acted upon, the others are shown with the date they are expected."""

    __tablename__ = "budget_phases"
    __table_args__ = (
        UniqueConstraint("process_id", "name"),
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(SmallInteger)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    process: Mapped[Process] = relationship(back_populates="phases")


class Area(db.Model):
    """A neighbourhood (quartier) of the process, with its own envelope or not."""

    __tablename__ = "budget_areas"
    __table_args__ = (
        UniqueConstraint("process_id", "name"),
        CheckConstraint("envelope IS NULL OR envelope > 0", name="envelope_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(PLACE_MAX))
    envelope: Mapped[int | None] = mapped_column(Integer, nullable=True)

    process: Mapped[Process] = relationship(back_populates="areas")


class ProjectCategory(db.Model):
    __tablename__ = "budget_categories"
    __table_args__ = (UniqueConstraint("process_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(PLACE_MAX))

    process: Mapped[Process] = relationship(back_populates="categories")


class Project(HasSubject, db.Model):
    """A project; its comments, supports and links to needs are the core's, on its subject."""

    __tablename__ = "budget_projects"
    subject_plugin = NAME
    __table_args__ = (
        UniqueConstraint("process_id", "number"),
        Index("ix_budget_projects_process_status", "process_id", "status", "number"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("revised_cost IS NULL OR revised_cost >= 0", name="revised_cost_not_negative"),
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="latitude_on_earth"),
        CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="longitude_on_earth"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"))
    # What ballots and paper sheets name: 1, 2, 3 … within the process, never reused.
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int] = mapped_column(Integer)  # estimated by its authors, whole euros
    revised_cost: Mapped[int | None] = mapped_column(Integer, nullable=True)  # by the review
    area_id: Mapped[int | None] = mapped_column(ForeignKey("budget_areas.id", ondelete="SET NULL"), nullable=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("budget_categories.id", ondelete="SET NULL"),
                                                    nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=SUBMITTED)
    review_reason: Mapped[str] = mapped_column(Text, default="")  # public
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("budget_projects.id", ondelete="SET NULL"),
                                                       nullable=True)
    # The id a Pabulib file gave it, when imported (kept for the export).
    source_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    process: Mapped[Process] = relationship()
    area: Mapped[Area | None] = relationship()
    category: Mapped[ProjectCategory | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    merged_into: Mapped[Project | None] = relationship(remote_side=[id])

    @property
    def vote_cost(self) -> int:
        """The cost the vote and the allocation use: the review's, else the authors'."""
        return self.revised_cost if self.revised_cost is not None else self.cost


class PaperSheet(db.Model):
    """One paper ballot as typed in by a teller: the project numbers ticked (or given
    points), in :mod:`plugins.budget.ballots`' text. ``entry`` 1 or 2: the second typing
    of the same sheet by another person, when the process asks for double entry."""

    __tablename__ = "budget_paper_sheets"
    __table_args__ = (
        UniqueConstraint("process_id", "place", "sheet", "entry"),
        CheckConstraint("entry IN (1, 2)", name="entry_one_or_two"),
        CheckConstraint("sheet > 0", name="sheet_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    place: Mapped[str] = mapped_column(String(PLACE_MAX))  # the polling place (bureau de vote)
    sheet: Mapped[int] = mapped_column(Integer)  # its number within the place's pile
    entry: Mapped[int] = mapped_column(SmallInteger, default=1)
    content: Mapped[str] = mapped_column(String(2_000))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Result(db.Model):
    """The computed result of a process, one row, written by the deferred computation.

    ``funded``: project ids; ``details``: what the page and exports show (explanations per
    project, the fairness panel beside greedy, the comparison step), as the computation
    stored it; ``rule``, ``parameters``, ``tie_order`` and ``ballots_hash`` are published
    with it so that anyone can compute it again."""

    __tablename__ = "budget_results"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_a_percentage"),)

    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(12), default=QUEUED)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    rule: Mapped[str] = mapped_column(String(40), default="")
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    tie_order: Mapped[list] = mapped_column(JSON, default=list)
    ballots_count: Mapped[int] = mapped_column(Integer, default=0)
    ballots_hash: Mapped[str] = mapped_column(String(64), default="")
    funded: Mapped[list] = mapped_column(JSON, default=list)
    total_cost: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict] = deferred(mapped_column(JSON, default=dict))
    error: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    process: Mapped[Process] = relationship(backref=db.backref("result", uselist=False, passive_deletes=True))


class Decision(db.Model):
    """The council decision (délibération du conseil municipal) on a published result,
    recorded by an elected member; one per process."""

    __tablename__ = "budget_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(60))  # « 2026-042 »
    decided_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    document_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    document_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    document: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    process: Mapped[Process] = relationship(backref=db.backref("decision", uselist=False, passive_deletes=True))
    recorded_by: Mapped[User | None] = relationship()
    departures: Mapped[list[Departure]] = relationship(back_populates="decision", cascade="all, delete-orphan")


class Departure(db.Model):
    """Where the council departs from the result for one project: ``funded`` says what it
    decided (funds a project the result did not, or does not fund one it did)."""

    __tablename__ = "budget_departures"
    __table_args__ = (UniqueConstraint("decision_id", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("budget_decisions.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("budget_projects.id", ondelete="CASCADE"), index=True)
    funded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)  # public, required

    decision: Mapped[Decision] = relationship(back_populates="departures")
    project: Mapped[Project] = relationship()


class FollowUp(db.Model):
    """The follow-up of a funded project (suivi de réalisation), shown on its public page."""

    __tablename__ = "budget_follow_ups"
    __table_args__ = (
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_a_percentage"),
        CheckConstraint("committed >= 0 AND spent >= 0", name="money_not_negative"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("budget_projects.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default=TO_START)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")  # why abandoned (public)
    committed: Mapped[int] = mapped_column(Integer, default=0)  # euros engaged
    spent: Mapped[int] = mapped_column(Integer, default=0)  # euros paid
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=db.backref("follow_up", uselist=False, passive_deletes=True))
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="Milestone.on, Milestone.id",
        primaryjoin="FollowUp.project_id == foreign(Milestone.project_id)")


class Milestone(db.Model):
    __tablename__ = "budget_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("budget_projects.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(TITLE_MAX))
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class PollingPlace(db.Model):
    """A polling place (bureau de vote) of a process that keeps a register (« liste
    d'émargement », :mod:`plugins.budget.roll`). Its name is the one its paper sheets are
    typed under (``PaperSheet.place``). ``walk_ins``: the voters on the commune's electoral
    roll known neither by an account nor by a code, counted only (no name is kept: the
    commune's own paper roll is where they sign). The register is closed once, before the
    place's pile is typed."""

    __tablename__ = "budget_polling_places"
    __table_args__ = (
        UniqueConstraint("process_id", "name"),
        CheckConstraint("walk_ins >= 0", name="walk_ins_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(PLACE_MAX))
    walk_ins: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class RollMark(db.Model):
    """An émargement: the participation (``ballot_participations``, the same row an online
    ballot writes, so the database's one-per-person constraint refuses a second vote either
    way) was given at this polling place. Deliberately without timestamp, and without any
    link to a paper sheet: the sheets of a place are typed only once its register is closed,
    from the shuffled pile."""

    __tablename__ = "budget_roll_marks"

    participation_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_participations.id", ondelete="CASCADE"), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("budget_polling_places.id", ondelete="CASCADE"), index=True)
