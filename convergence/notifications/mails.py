"""The mail sent when a vote or a consent round opens, as deferred work."""

from __future__ import annotations

import logging

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import hooks, tasks
from ..extensions import db
from ..models import User
from ..models.notifications import NotificationPreference, NotificationSent
from . import Opening
from .unsubscribe import link_for

log = logging.getLogger("convergence.notifications")

CONSENT_PREFIX = "consent:"  # a consent round's kind: "consent:" + the round's polymorphic identity


def on_phase_changed(subject, *, kind, new, **_ignored) -> None:
    """``phase-changed`` receiver (sent after the commit): a subject that opens is mailed about."""
    if new == "open" and not kind.startswith(CONSENT_PREFIX):
        tasks.defer(mail_opening, kind, subject.id)


def round_opened(round_) -> None:
    """Called as a consent round starts, in its transaction: the mail goes after the commit."""
    tasks.defer(mail_opening, CONSENT_PREFIX + round_.kind, round_.id)


def audience(kind: str, subject_id: int) -> Opening | None:
    if kind == CONSENT_PREFIX + "circle":
        return _circle_request(subject_id)
    for opening in hooks.collect("opening-audience", kind=kind, subject_id=subject_id):
        if opening is not None:
            return opening
    return None


def _circle_request(round_id: int) -> Opening | None:
    """A request to join or leave a circle: asked of its members, never of the person concerned."""
    from ..models import CircleRequest, Membership
    from ..web.links import absolute_url

    request = db.session.get(CircleRequest, round_id)
    if request is None:
        return None
    title = (_("%(name)s asks to join", name=request.person.display_name) if request.request == "join"
             else _("%(name)s: a proposal that they leave", name=request.person.display_name))
    people = db.select(Membership.user_id).where(Membership.space_id == request.circle.space_id,
                                                 Membership.user_id != request.person_id)
    return Opening(kind="consent", title=title, where=request.circle.name,
                   url=absolute_url("circles.show", circle_id=request.circle_id), people=people,
                   closes_at=request.deadline)


@tasks.task(retries=3, retry_delay=60)
def mail_opening(kind: str, subject_id: int) -> int:
    """Mail each person who asked for it and whom the opening concerns, once. Returns how
    many mails went out (for the tests and the log)."""
    opening = audience(kind, subject_id)
    if opening is None:
        return 0
    already = db.select(NotificationSent.user_id).where(NotificationSent.kind == kind,
                                                        NotificationSent.subject_id == subject_id)
    people = db.session.scalars(
        db.select(User).join(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(NotificationPreference.openings.is_(True), User.email_confirmed.is_(True),
               User.id.in_(opening.people), User.id.not_in(already))
        .order_by(User.id)).all()
    from ..accounts.mail import send_mail

    for person in people:
        db.session.add(NotificationSent(user_id=person.id, kind=kind, subject_id=subject_id))
        with force_locale(person.locale or "fr"):
            subject, body = content(opening, person)
        send_mail(person.email, subject, body)
    try:
        db.session.commit()  # the mails go after this commit, with the record that they went
    except IntegrityError:
        db.session.rollback()  # another run of this task mailed them first: nothing twice
        log.info("opening %s %s already mailed by another run", kind, subject_id)
        return 0
    return len(people)


def content(opening: Opening, person: User) -> tuple[str, str]:
    """Subject and body, in the current locale (the person's)."""
    if opening.kind == "vote":
        subject = _("A vote is open: %(title)s", title=opening.title)
        what = _("A vote has just opened in %(where)s: « %(title)s ».", where=opening.where, title=opening.title)
        act = _("To vote: %(url)s", url=opening.url)
    else:
        subject = _("A consent round is open: %(title)s", title=opening.title)
        what = _("A consent round has just opened in %(where)s: « %(title)s ».", where=opening.where,
                 title=opening.title)
        act = _("To answer (consent, objection or stand aside): %(url)s", url=opening.url)
    lines = [_("Hello %(name)s,", name=person.display_name), "", what]
    if opening.closes_at is not None:
        from ..web.templating import when

        lines.append(_("It closes on %(when)s.", when=when(opening.closes_at)))
    lines += [act, "",
              _("You receive this mail because you asked to be told when a vote or a consent round opens "
                "to you. To stop these mails, in one click: %(url)s", url=link_for(person.id))]
    return subject, "\n".join(lines)
