"""Rules on needs shared by the pages, the import and the API: validation, supports,
status changes, merges. Nothing here commits; the caller does, once."""

from __future__ import annotations

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.models import Neighbourhood

from convergence.participation import comments, history, supports
from convergence.participation.refusal import Refused

from .models import COMMENT_MAX, DESCRIPTION_MAX, STATUSES, TITLE_MAX, URGENCIES, Category, Community, Need

MAX_DISTANCE_KM = 30

DEFAULT_CATEGORIES = [
    ("alimentation", _l("Food")), ("logement", _l("Housing")), ("eau", _l("Water")),
    ("energie", _l("Energy")), ("mobilite", _l("Mobility")), ("sante", _l("Health")),
    ("lien_social", _l("Social ties")),
]
DEFAULT_COMMUNITIES = [
    ("locataires", _l("Tenants")), ("personnes_agees", _l("Elderly people")), ("jeunes", _l("Young people")),
    ("familles", _l("Families")), ("agriculteurs", _l("Farmers")),
]
STATUS_LABELS = {
    "reported": _l("Reported"), "recognised": _l("Recognised"), "in_progress": _l("In progress"),
    "satisfied": _l("Satisfied"), "not_retained": _l("Not retained"),
}
URGENCY_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}


def add_defaults(commune_id: int) -> None:
    """The default lists, for a commune that has none yet, in the caller's transaction:
    when needs is switched on in a commune, or as a commune is created with needs on by
    default (the plug-in's ``on_enabled``, see convergence/features.py); communes older
    than that got theirs from the needs_0003 migration. Never during a GET."""
    for model, defaults in ((Category, DEFAULT_CATEGORIES), (Community, DEFAULT_COMMUNITIES)):
        if db.session.scalar(db.select(model.id).where(model.commune_id == commune_id).limit(1)) is None:
            db.session.add_all(model(commune_id=commune_id, code=code, label=str(label)) for code, label in defaults)


def ensure_defaults(commune) -> None:
    """Add the default lists and commit: for scripts and tests that build a commune's
    lists outside a request (a page never calls it)."""
    add_defaults(commune.id)
    try:
        db.session.commit()
    except IntegrityError:  # someone created them at the same time
        db.session.rollback()


def lists(commune):
    """Categories, communities and neighbourhoods of a commune: three small queries."""
    categories = db.session.scalars(db.select(Category).where(Category.commune_id == commune.id)
                                    .order_by(Category.label)).all()
    communities = db.session.scalars(db.select(Community).where(Community.commune_id == commune.id)
                                     .order_by(Community.label)).all()
    neighbourhoods = db.session.scalars(db.select(Neighbourhood).where(Neighbourhood.commune_id == commune.id)
                                        .order_by(Neighbourhood.name)).all()
    return categories, communities, neighbourhoods


def distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _float(value):
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(value)
    return result


def validate(commune, data, lookups, *, by_code: bool = False) -> tuple[dict, dict]:
    """Check one need's fields (form or CSV line). Returns (values, errors by field).

    ``lookups`` is the result of :func:`lists`. In a form, category/community/
    neighbourhood are ids; in the CSV (``by_code``) category and community are codes and
    the neighbourhood is its name."""
    categories, communities, neighbourhoods = lookups
    errors, values = {}, {}

    def find(items, raw, key):
        raw = (raw or "").strip()
        if not raw:
            return None, False
        for item in items:
            if str(getattr(item, key)) == raw or (by_code and key != "id" and
                                                  str(getattr(item, key)).lower() == raw.lower()):
                return item, False
        return None, True

    category, bad = find(categories, data.get("category"), "code" if by_code else "id")
    if category is None:
        errors["category"] = _("Unknown category.") if bad else _("Choose a category.")
    else:
        values["category_id"] = category.id
    community, bad = find(communities, data.get("community"), "code" if by_code else "id")
    if bad:
        errors["community"] = _("Unknown community.")
    values["community_id"] = community.id if community else None
    neighbourhood, bad = find(neighbourhoods, data.get("neighbourhood"), "name" if by_code else "id")
    if bad:
        errors["neighbourhood"] = _("Unknown neighbourhood.")
    values["neighbourhood_id"] = neighbourhood.id if neighbourhood else None

    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long (%(max)d characters at most).", max=TITLE_MAX)
    values["title"] = title
    description = (data.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is too long (%(max)d characters at most).",
                                  max=DESCRIPTION_MAX)
    values["description"] = description

    urgency = (data.get("urgency") or "medium").strip().lower()
    if urgency not in URGENCIES:
        errors["urgency"] = _("Urgency must be low, medium or high.")
    values["urgency"] = urgency

    try:
        lat, lon = _float(data.get("latitude")), _float(data.get("longitude"))
    except ValueError:
        errors["latitude"] = _("Latitude and longitude must be numbers.")
        lat = lon = None
    if (lat is None) != (lon is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif lat is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["latitude"] = _("Latitude must be between -90 and 90, longitude between -180 and 180.")
        elif commune.latitude is not None and commune.longitude is not None and distance_km(
                lat, lon, commune.latitude, commune.longitude) > MAX_DISTANCE_KM:
            errors["latitude"] = _("This point is more than %(km)d km from the commune.", km=MAX_DISTANCE_KM)
    values["latitude"], values["longitude"] = lat, lon
    return values, errors


def record_reported(needs, by) -> None:
    """Add newly reported needs with the first entry of their status history."""
    db.session.add_all(needs)
    db.session.flush()
    for need in needs:
        history.record(need.subject_id, None, "reported", by)


def has_supported(need, user) -> bool:
    return supports.has_supported(need.subject_id, user)


def add_support(need, user) -> None:
    """Add a support; :class:`AlreadySet` on a second one (the database decides)."""
    supports.add(need.subject_id, user, already=_("You already support this need."))


def withdraw_support(need, user) -> None:
    supports.withdraw(need.subject_id, user, not_supported=_("You do not support this need."))


def add_comment(need, user, body) -> str | None:
    try:
        comments.add(need.subject_id, user, body, limit=COMMENT_MAX)
    except Refused as refusal:
        return refusal.message
    return None


def set_status(need, status, reason, user) -> str | None:
    reason = (reason or "").strip()
    if status not in STATUSES:
        return _("Unknown status.")
    if status == "not_retained" and not reason:
        return _("Say why the need is not retained.")
    if len(reason) > COMMENT_MAX:
        return _("The reason is too long (%(max)d characters at most).", max=COMMENT_MAX)
    history.record(need.subject_id, need.status, status, user, reason)
    need.status, need.status_reason = status, reason
    return None


def merge(duplicate, target, user) -> str | None:
    """Merge ``duplicate`` into ``target``: supports (once per person) and comments move,
    the duplicate keeps its history and redirects to the target."""
    if duplicate.id == target.id or target.commune_id != duplicate.commune_id:
        return _("Choose another need of the same commune.")
    if target.merged_into_id is not None or duplicate.merged_into_id is not None:
        return _("This need has already been merged.")
    supports.move(duplicate.subject_id, target.subject_id)
    comments.move(duplicate.subject_id, target.subject_id)
    history.record(duplicate.subject_id, duplicate.status, duplicate.status, user,
                   _("Merged into need #%(id)d.", id=target.id))
    duplicate.merged_into_id = target.id
    return None
