"""A commune's default lists of needs (categories, communities) are written when needs is
switched on there or as the commune is created, never by a page (a GET writes nothing)."""

from __future__ import annotations

from convergence import features
from convergence.extensions import db
from plugins.needs.models import Category, Community
from plugins.needs.lists import DEFAULT_CATEGORIES, DEFAULT_COMMUNITIES


def _codes(model, commune) -> set[str]:
    return set(db.session.scalars(db.select(model.code).where(model.commune_id == commune.id)))


def _clear(commune) -> None:
    for model in (Category, Community):
        db.session.execute(db.delete(model).where(model.commune_id == commune.id))
    db.session.commit()


def test_a_new_commune_has_the_default_lists_and_a_page_writes_none(app, make, place):
    commune = make.commune("Nouvelle-Commune")
    assert _codes(Category, commune) == {code for code, _label in DEFAULT_CATEGORIES}
    assert _codes(Community, commune) == {code for code, _label in DEFAULT_COMMUNITIES}
    _clear(commune)
    for url in (f"/communes/{commune.slug}/besoins", f"/communes/{commune.slug}/besoins/carte.geojson"):
        assert app.test_client().get(url).status_code == 200
    db.session.expire_all()
    assert _codes(Category, commune) == set() and _codes(Community, commune) == set()


def test_switching_needs_on_prepares_the_lists_once(app, make, place):
    commune = make.commune("Commune-Rallumée")
    others = features.available_plugins(commune).keys() - {"needs"}
    with app.test_request_context():
        features.switch(commune, set(others))
        db.session.commit()
        _clear(commune)
        features.switch(commune, set(others) | {"needs"})
        db.session.commit()
        assert len(_codes(Category, commune)) == len(DEFAULT_CATEGORIES)
        features.switch(commune, set(others))  # off and on again: nothing twice
        features.switch(commune, set(others) | {"needs"})
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Category.id)).where(Category.commune_id == commune.id)) \
        == len(DEFAULT_CATEGORIES)
    assert _codes(Community, commune) == {code for code, _label in DEFAULT_COMMUNITIES}
