"""The minutes (compte rendu) of an assembly: per agenda item, the notes and decisions the
note-taker wrote and the anonymous speaking statistics; the same for the whole meeting.
Read in a fixed number of queries; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from convergence.extensions import db
from convergence.models import Membership, User
from convergence.models.base import utcnow

from .clock import Clock
from .decisions import Decision, decisions_by_item
from .models import ItemNotes, NoteTaker, SpeakingRequest
from .statistics import Figures, Spoken, figures


@dataclass
class ItemMinutes:
    item: object
    notes: ItemNotes | None
    figures: Figures
    #: The consent rounds and the votes held on the item, gathered (not typed).
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Minutes:
    items: list[ItemMinutes]
    meeting: Figures


def spoken_turns(assembly_id: int) -> list[Spoken]:
    now = utcnow()
    rows = db.session.execute(db.select(SpeakingRequest.person, SpeakingRequest.group, SpeakingRequest.item_id,
                                        SpeakingRequest.counted, SpeakingRequest.running_since, SpeakingRequest.id)
                              .where(SpeakingRequest.assembly_id == assembly_id,
                                     SpeakingRequest.state.in_(("speaking", "done")))).all()
    return [Spoken(person, group, item_id, Clock(counted, since, 0).elapsed(now), order)
            for person, group, item_id, counted, since, order in rows]


def minutes_of(assembly, *, written: bool = True) -> Minutes:
    """``written=False``: the figures alone, without the notes and decisions (the CSV)."""
    turns = spoken_turns(assembly.id)
    notes, held = {}, {}
    if written:
        notes = {n.item_id: n for n in db.session.scalars(
            db.select(ItemNotes).where(ItemNotes.assembly_id == assembly.id))}
        held = decisions_by_item(assembly, lambda item_id: url_for("facilitation.item_round",
                                                                   assembly_id=assembly.id, item_id=item_id))
    items = [ItemMinutes(item, notes.get(item.id), figures(turns, item.id), held.get(item.id, []))
             for item in assembly.agenda]
    return Minutes(items, figures(turns))


def notes_of(assembly, item) -> ItemNotes:
    notes = db.session.get(ItemNotes, item.id)
    if notes is None:
        notes = ItemNotes(item_id=item.id, assembly_id=assembly.id, body="", decisions="")
    return notes


def save_notes(assembly, item, user, body: str, decisions: str) -> ItemNotes:
    notes = notes_of(assembly, item)
    notes.body, notes.decisions, notes.updated_by_id, notes.updated_at = body, decisions, user.id, utcnow()
    db.session.add(notes)
    return notes


def note_takers(assembly) -> list[User]:
    return db.session.scalars(db.select(User).join(NoteTaker, NoteTaker.user_id == User.id)
                              .where(NoteTaker.assembly_id == assembly.id).order_by(User.display_name)).all()


def candidates(assembly) -> list[User]:
    """The people holding a role in the assembly or its commune: who may be named note-taker."""
    spaces = (assembly.space_id, assembly.commune.space_id)
    return db.session.scalars(db.select(User).where(User.id.in_(
        db.select(Membership.user_id).where(Membership.space_id.in_(spaces)))).order_by(User.display_name)).all()


def set_note_taker(assembly, user_id: int, named: bool) -> None:
    row = db.session.get(NoteTaker, (assembly.id, user_id))
    if named and row is None:
        db.session.add(NoteTaker(assembly_id=assembly.id, user_id=user_id))
    elif not named and row is not None:
        db.session.delete(row)


def as_markdown(assembly, minutes: Minutes, texts) -> str:
    """The minutes as one Markdown file (the export); ``texts`` gives the translated words."""
    lines = [f"# {texts['title']} — {assembly.title}", ""]
    for entry in minutes.items:
        lines += [f"## {entry.item.position + 1}. {entry.item.title}", ""]
        if entry.notes and entry.notes.body.strip():
            lines += [entry.notes.body.strip(), ""]
        typed = entry.notes.decisions.strip() if entry.notes else ""
        if typed or entry.decisions:
            lines += [f"### {texts['decisions']}", ""]
            lines += [f"- [{d.label}]({texts['link'](d.url)}) — {d.state}" + (f" — {d.outcome}" if d.outcome else "")
                      for d in entry.decisions]
            lines += [typed, ""] if typed else [""]
        lines += [f"### {texts['statistics']}", "", *texts["figures"](entry.figures), ""]
    lines += [f"## {texts['meeting']}", "", *texts["figures"](minutes.meeting), ""]
    return "\n".join(lines)
