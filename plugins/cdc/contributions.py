"""From a commune to the meeting (issue 11, item 6): a proposal adopted in a commune's
assembly is sent by a facilitator of that commune to a meeting's declaration, as a
**contribution** (listed under « Contributions des communes ») or as an **amendment**
(tabled through ``tabling.table`` in the name of the commune's registered delegation).

The proposal is the proposals plug-in's, read only through ``plugins/proposals/api.py``;
the link between the two is the core's (``convergence.participation.links``): the
proposal's page names it through the ``subject-label`` hook (:func:`subject_labels`), the
declaration's page through :func:`of_declaration`. Nothing here commits.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import audit
from convergence.extensions import db
from convergence.participation import links
from convergence.refusal import Refused

from . import tabling
from .declaration_models import AMENDING, KIND_ADD, KIND_MODIFY, Contribution, Declaration
from .models import Delegation, Meeting

KIND_CONTRIBUTION, KIND_AMENDMENT = "contribution", "amendment"
SUMMARY_MAX = 5000


def proposals_api():
    """The proposals plug-in's api, or None when it is not installed (no proposal to send)."""
    from convergence.plugin_engine import enabled_plugins

    if "proposals" not in enabled_plugins():
        return None
    from plugins.proposals import api

    return api


def open_declarations() -> list[Declaration]:
    """The declarations open to amendments, of every meeting whose assembly has cdc switched
    on, soonest meeting first (one query)."""
    from convergence.models import Assembly
    from convergence.open_now import switched_on

    return list(db.session.scalars(
        db.select(Declaration).join(Meeting, Meeting.id == Declaration.meeting_id)
        .join(Assembly, Assembly.id == Meeting.assembly_id)
        .where(Declaration.state == AMENDING, switched_on(Assembly.space_id, "cdc"))
        .options(db.joinedload(Declaration.meeting).joinedload(Meeting.assembly))
        .order_by(Meeting.first_day, Meeting.id)))


def commune_delegation(meeting_id: int, commune_id: int) -> Delegation | None:
    """The commune's registered delegation to the meeting (the first, if it sent several)."""
    return db.session.scalar(db.select(Delegation).where(
        Delegation.meeting_id == meeting_id, Delegation.commune_id == commune_id,
        Delegation.status == "registered", Delegation.kind == "collective").order_by(Delegation.id).limit(1))


def already_sent(declaration: Declaration, proposal_id: int) -> Contribution | None:
    return db.session.scalar(db.select(Contribution).where(Contribution.declaration_id == declaration.id,
                                                           Contribution.proposal_id == proposal_id))


def _sent_twice(meeting_title: str) -> Refused:
    return Refused(_("This proposal has already been sent to « %(meeting)s ».", meeting=meeting_title), 409)


def check_sendable(proposal, declaration: Declaration) -> None:
    """What refuses a sending whatever is typed: a proposal not adopted, a declaration not
    open to amendments, a proposal sent there already."""
    api = proposals_api()
    if not api.is_adopted(proposal):
        raise Refused(_("Only a proposal adopted by its assembly can be sent to a meeting."), 409)
    tabling.require_amending(declaration)
    if already_sent(declaration, proposal.id) is not None:
        raise _sent_twice(declaration.meeting.assembly.title)


def send(proposal, declaration: Declaration, user, *, kind: str, summary: str = "", amendment_kind: str = "",
         article_number: int | None = None, text: str = "") -> Contribution:
    """Send ``proposal`` to ``declaration``: ``kind`` contribution (with ``summary``, the
    commune's word to the meeting) or amendment (``amendment_kind`` modify/add on
    ``article_number``, with the wording ``text``; the summary becomes its explanation)."""
    declaration = tabling._locked(declaration)  # one sending at a time: the unique key is never met
    check_sendable(proposal, declaration)
    commune = proposal.assembly.commune
    summary = (summary or "").replace("\r\n", "\n").strip()
    if len(summary) > SUMMARY_MAX:
        raise Refused(_("The word to the meeting is longer than %(n)d characters.", n=SUMMARY_MAX))
    if "\x00" in summary:
        raise Refused(_("The text holds a character that cannot be stored."))
    amendment = None
    if kind == KIND_AMENDMENT:
        delegation = commune_delegation(declaration.meeting_id, commune.id)
        if delegation is None:
            raise Refused(_("%(commune)s has no delegation registered to « %(meeting)s »: the commune must register "
                            "a delegation first to table an amendment (it can still send the proposal as a "
                            "contribution).", commune=commune.name, meeting=declaration.meeting.assembly.title), 409)
        if amendment_kind not in (KIND_MODIFY, KIND_ADD):
            raise Refused(_("Choose whether the amendment changes an article or adds one."))
        explanation = summary or _("Proposal « %(title)s » adopted by %(commune)s.", title=proposal.title,
                                   commune=commune.name)
        amendment = tabling.table(declaration, delegation, user, kind=amendment_kind,
                                  article_number=article_number, text=text, explanation=explanation)
    elif kind != KIND_CONTRIBUTION:
        raise Refused(_("Choose whether the proposal goes as a contribution or as an amendment."))
    contribution = Contribution(declaration_id=declaration.id, proposal_id=proposal.id, commune_id=commune.id,
                                kind=kind, amendment_id=amendment.id if amendment else None,
                                title=proposal.title[:200], summary=summary, sent_by_id=user.id)
    db.session.add(contribution)
    meeting_title = declaration.meeting.assembly.title
    try:
        db.session.flush()
    except IntegrityError:
        # SQLite takes no row lock: two sendings at once meet on the unique key; the one
        # that loses is told so, everything it wrote rolled back by the request flow.
        db.session.rollback()
        raise _sent_twice(meeting_title) from None
    links.link(proposal.subject_id, contribution.subject_id)
    # Told in the host commune's journal and in the sending commune's (its decision went there).
    details = {"commune": commune.name, "meeting": declaration.meeting.assembly.title}
    if amendment is not None:
        details["number"] = amendment.number
    for journal in dict.fromkeys((declaration.meeting.assembly.commune_id, commune.id)):
        audit.record("cdc.declaration.contribution", commune_id=journal, target=contribution.title, **details)
    return contribution


def contribution_url(contribution: Contribution, declaration: Declaration | None = None) -> str:
    """Where the declaration's page shows it: its amendment when it became one, otherwise its
    line under « Contributions des communes »."""
    declaration = declaration or db.session.get(Declaration, contribution.declaration_id)
    if contribution.amendment is not None:
        from .declaration_views import amendment_url

        return amendment_url(declaration, contribution.amendment)
    return url_for("cdc.declaration", meeting_id=declaration.meeting_id) + f"#contribution-{contribution.id}"


def of_declaration(declaration: Declaration) -> list[dict]:
    """The contributions of the communes to the declaration, in the order sent, each with
    its proposal (None once the proposal is gone) and its page (two queries)."""
    rows = list(db.session.scalars(
        db.select(Contribution).where(Contribution.declaration_id == declaration.id)
        .options(db.joinedload(Contribution.commune), db.joinedload(Contribution.amendment))
        .order_by(Contribution.id)))
    api = proposals_api()
    proposals = api.get_proposals(r.proposal_id for r in rows) if api is not None and rows else {}
    items = []
    for row in rows:
        proposal = proposals.get(row.proposal_id)
        items.append({"row": row, "commune": row.commune.name if row.commune else "",
                      "title": proposal.title if proposal is not None else row.title,
                      "proposal_url": api.proposal_url(proposal) if proposal is not None else None,
                      "amendment": row.amendment})
    return items


def subject_labels(subject_ids):
    """The ``subject-label`` hook: a contribution, as the proposal's page names it."""
    rows = db.session.scalars(
        db.select(Contribution).where(Contribution.subject_id.in_(subject_ids))
        .options(db.joinedload(Contribution.amendment))).all()
    if not rows:
        return {}
    declarations = {d.id: d for d in db.session.scalars(
        db.select(Declaration).where(Declaration.id.in_({r.declaration_id for r in rows}))
        .options(db.joinedload(Declaration.meeting).joinedload(Meeting.assembly)))}
    labels = {}
    for row in rows:
        declaration = declarations[row.declaration_id]
        meeting = declaration.meeting.assembly.title
        if row.amendment is not None:
            label = _("Sent to « %(meeting)s » as amendment A%(n)d", meeting=meeting, n=row.amendment.number)
        else:
            label = _("Sent to « %(meeting)s » as a contribution", meeting=meeting)
        labels[row.subject_id] = (label, contribution_url(row, declaration))
    return labels
