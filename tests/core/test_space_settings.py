"""Per-space plug-in settings: typed, read with their defaults in one query, edited on the
space's « Outils » page with messages in French, journalled; proposals' threshold on them."""

import re

import sqlalchemy as sa
from hypothesis import given, strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry, SpaceSetting
from convergence.space_settings import Setting, settings_of
from tests.fixtures import count_queries, login

THRESHOLD = Setting("support_threshold", "int", 10, "Seuil", low=1, high=100_000)


def _tools(client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    return assembly, f"/assemblees/{assembly.id}/outils"


def _post_settings(client, url, value):
    page = client.get(url).data.decode()
    token = re.search(r'name="proposals-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(url, data={"section": "settings:proposals", "proposals-csrf_token": token,
                                  "proposals-support_threshold": value})


def test_a_setting_out_of_bounds_is_refused_on_the_page_with_what_was_typed(client, make):
    assembly, url = _tools(client, make)
    page = client.get(url).data.decode()
    assert "Réglages de «\u202fPropositions\u202f»" in page and 'value="10"' in page  # the declared default
    for typed in ("0", "100001", "-3"):
        refused = _post_settings(client, url, typed)
        text = refused.data.decode()
        assert refused.status_code == 422
        assert "Donnez un nombre entier de 1 à 100 000." in text.replace("\u202f", " ").replace("\xa0", " ")
        assert f'value="{typed}"' in text
    refused = _post_settings(client, url, "douze")
    assert refused.status_code == 422 and 'value="douze"' in refused.data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SpaceSetting)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "setting.changed")) == 0


def test_a_setting_saved_is_journalled_and_read_by_the_plugin(app, client, make):
    assembly, url = _tools(client, make)
    response = _post_settings(client, url, "25")
    assert response.status_code == 302
    row = db.session.get(SpaceSetting, (assembly.space_id, "proposals", "support_threshold"))
    assert row.value == "25"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "setting.changed"))
    assert entry.details == {"plugin": "proposals", "key": "support_threshold", "value": 25}
    assert entry.target == assembly.title
    index = client.get(f"/assemblees/{assembly.id}/propositions").data.decode()
    assert "25" in index and 'value="25"' in index
    # The same value again: nothing to journal.
    assert _post_settings(client, url, "25").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "setting.changed")) == 1


def test_settings_of_a_space_are_read_in_one_query_with_their_defaults(app, make):
    commune = make.commune()
    assembly, other = make.assembly(commune), make.assembly(commune)
    db.session.add(SpaceSetting(space_id=assembly.space_id, plugin_name="proposals", key="support_threshold",
                                value="3"))
    db.session.commit()
    with app.test_request_context(), count_queries(app) as statements:
        assert settings_of(assembly, "proposals") == {"support_threshold": 3}
        assert settings_of(assembly.space, "proposals") == {"support_threshold": 3}
        assert settings_of(other, "proposals") == {"support_threshold": 10}
    assert len([s for s in statements if "space_settings" in s]) == 2  # one per space


@given(st.text(max_size=30))
def test_a_stored_value_is_read_within_its_bounds_or_as_the_default(stored):
    value = THRESHOLD.read(stored)
    assert isinstance(value, int) and (1 <= value <= 100_000)
    assert value == (int(stored) if stored.strip().lstrip("+-").isdigit() and stored.isascii()
                     and 1 <= int(stored) <= 100_000 else 10)


@given(st.booleans())
def test_a_boolean_setting_round_trips(value):
    setting = Setting("public", "bool", False)
    assert setting.read(setting.store(value)) is value


def test_a_choice_keeps_only_declared_values():
    setting = Setting("mode", "choice", "open", choices=(("open", "Ouvert"), ("closed", "Fermé")))
    assert setting.read("closed") == "closed" and setting.read("ailleurs") == "open" and setting.read(None) == "open"


def test_the_upgrade_moves_the_proposals_threshold_onto_space_settings(app, make):
    from flask_migrate import downgrade, upgrade

    assembly = make.assembly(make.commune())
    assembly_id, space_id = assembly.id, assembly.space_id
    db.session.remove()
    downgrade(revision="proposals_0003")
    try:
        db.session.execute(sa.text("INSERT INTO proposals_settings (assembly_id, support_threshold) VALUES (:a, 42)"),
                           {"a": assembly_id})
        db.session.commit()
    finally:
        db.session.remove()
        upgrade(revision="heads")
    assert db.session.get(SpaceSetting, (space_id, "proposals", "support_threshold")).value == "42"
    assert "proposals_settings" not in sa.inspect(db.engine).get_table_names()
