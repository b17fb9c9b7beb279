"""What the Commune des Communes contributes to the core's hooks (convergence/hooks.py)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.permissions import can

from .declaration_models import Contribution
from .models import Delegation, LodgingOffer, Member
from .meetings import meeting_on_page as meeting_of


def connect(plugin) -> None:
    plugin.connect_hook("assembly-nav", assembly_nav)
    plugin.connect_hook("assembly-panels", assembly_panels)
    plugin.connect_hook("space-actions", space_actions)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("account-erasure-summary", erasure_summary)
    plugin.connect_hook("account-erasing", erasing)
    from .contribution_views import item_actions
    from .contributions import subject_labels
    from .demo import load
    from .journal import sentences

    # From a commune to the meeting: the button on an adopted proposal's page, and the
    # contribution named on it (« Envoyée à … »).
    plugin.connect_hook("item-actions", item_actions)
    plugin.connect_hook("subject-label", subject_labels)

    plugin.connect_hook("journal-sentences", sentences)
    plugin.connect_hook("demo-content", load)
    from convergence.hooks import vote_closed

    from .wording_vote import on_vote_closed

    # The votes between wordings bring their result back when mj closes them (a receiver
    # for every app: it checks that the app runs this plug-in).
    vote_closed.connect(on_vote_closed)


def assembly_nav(assembly):
    meeting = meeting_of(assembly.id)
    if meeting is not None:
        return [(_l("Meeting and registrations"), url_for("cdc.meeting", meeting_id=meeting.id))]
    if can("cdc.organise", assembly):
        return [(_l("Prepare a Commune des Communes"), url_for("cdc.create", assembly_id=assembly.id))]
    return []


def assembly_panels(assembly):
    meeting = meeting_of(assembly.id)
    if meeting is None:
        return []
    return [Markup(render_template("cdc/_panel.html", meeting=meeting, assembly=assembly))]


def space_actions(space, user):
    if space.kind != "assembly":
        return []
    meeting = meeting_of(space.owner.id)
    if meeting is None:
        return []
    return [(_l("Register a delegation"), url_for("cdc.register", meeting_id=meeting.id))]


def user_data(user):
    delegations = db.session.scalars(db.select(Delegation).where(Delegation.registered_by_id == user.id)
                                     .order_by(Delegation.id))
    named = db.session.scalars(db.select(Member).where(Member.user_id == user.id).order_by(Member.id))
    offers = db.session.scalars(db.select(LodgingOffer).where(LodgingOffer.host_id == user.id))
    sent = db.session.scalars(db.select(Contribution).where(Contribution.sent_by_id == user.id)
                              .order_by(Contribution.id))
    return {"cdc_registrations": [
        {"delegation_id": d.id, "meeting_id": d.meeting_id, "status": d.status, "collective": d.collective_name,
         "people": d.people_count, "contact_email": d.contact_email, "contact_phone": d.contact_phone,
         "members": [m.name for m in d.members], "mandate_kind": d.mandate_kind, "mandate": d.mandate_text,
         "dietary_needs": d.dietary_needs, "arrival": d.arrival} for d in delegations],
        "cdc_member_of": [{"delegation_id": m.delegation_id, "name": m.name} for m in named],
        "cdc_lodging_offers": [{"meeting_id": o.meeting_id, "places": o.places, "nights": o.nights,
                                "note": o.note} for o in offers],
        "cdc_contributions_sent": [{"declaration_id": c.declaration_id, "proposal_id": c.proposal_id,
                                    "kind": c.kind, "title": c.title, "summary": c.summary,
                                    "sent_at": c.created_at.isoformat()} for c in sent]}


def erasure_summary(user):
    from flask_babel import gettext as _

    count = db.session.scalar(db.select(db.func.count(Delegation.id)).where(Delegation.registered_by_id == user.id))
    if not count:
        return []
    kept = _("The delegations you registered stay registered (their contact details with them); nobody can "
             "change them but the organisers.")
    return [(_("Delegations registered to a Commune des Communes"), kept, kept)]


def erasing(user, keep_contributions):
    # The delegation belongs to its collective, not to the account: it stays (organisers
    # keep counting its beds and meals); the account's link goes by ON DELETE SET NULL,
    # and lodging offers with their host (ON DELETE CASCADE).
    return None
