"""A commune's lists of needs: its categories and communities, which its facilitators edit,
and its neighbourhoods (the core's). Nothing here commits, except :func:`ensure_defaults`
(for scripts and tests: a page never writes a list during a GET)."""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.models import Neighbourhood

from .models import Category, Community

DEFAULT_CATEGORIES = [
    ("alimentation", _l("Food")), ("logement", _l("Housing")), ("eau", _l("Water")),
    ("energie", _l("Energy")), ("mobilite", _l("Mobility")), ("sante", _l("Health")),
    ("lien_social", _l("Social ties")),
]
DEFAULT_COMMUNITIES = [
    ("locataires", _l("Tenants")), ("personnes_agees", _l("Elderly people")), ("jeunes", _l("Young people")),
    ("familles", _l("Families")), ("agriculteurs", _l("Farmers")),
]
#: The lists a facilitator edits, by the name their form gives them.
EDITABLE = {"category": Category, "community": Community}


class Lists(NamedTuple):
    categories: list[Category]
    communities: list[Community]
    neighbourhoods: list[Neighbourhood]


def of(commune) -> Lists:
    """Categories, communities and neighbourhoods of a commune: three small queries."""
    return Lists(
        db.session.scalars(db.select(Category).where(Category.commune_id == commune.id)
                           .order_by(Category.label)).all(),
        db.session.scalars(db.select(Community).where(Community.commune_id == commune.id)
                           .order_by(Community.label)).all(),
        db.session.scalars(db.select(Neighbourhood).where(Neighbourhood.commune_id == commune.id)
                           .order_by(Neighbourhood.name)).all())


def neighbourhood_names(commune) -> dict[int, str]:
    return dict(db.session.execute(db.select(Neighbourhood.id, Neighbourhood.name)
                                   .where(Neighbourhood.commune_id == commune.id)).all())


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


def save_entry(commune, kind: str, code: str, label: str) -> None:
    """Add the entry ``code`` to the list ``kind``, or give it ``label`` if it is there:
    the code stays, so needs and open data that name it keep meaning the same."""
    model = EDITABLE[kind]
    entry = db.session.scalar(db.select(model).where(model.commune_id == commune.id, model.code == code))
    if entry is None:
        db.session.add(model(commune_id=commune.id, code=code, label=label))
    else:
        entry.label = label
