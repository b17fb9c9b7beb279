"""The journal of decisions is hash-chained per commune: any change to any field of any
entry is found at that entry, an erasure keeps the chain verifiable with the name gone,
two acts committed at once never fork a chain, and the entries recorded before the chain
existed are chained by the migration."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_login import login_user
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence import audit, journal_chain
from convergence.extensions import db
from convergence.models import AuditEntry, Circle, Commune
from convergence.testing import count_queries, make_test_app, separate_database, visible_text
from tests.fixtures import require_postgres

# --- The pure chain: hypothesis over acts and tamperings --------------------------------

ACTIONS = ["role.given", "role.withdrawn", "circle.join", "plugin.switched", "mj.vote.closed", "commune.edited"]
names = st.text(alphabet="abcdéèçœ ÉÀ-'«»", min_size=1, max_size=20)
acts = st.fixed_dictionaries({
    "action": st.sampled_from(ACTIONS),
    "actor_id": st.none() | st.integers(1, 50),
    "target": names,
    "details": st.none() | st.dictionaries(st.sampled_from(["person", "person_id", "role", "vote", "active"]),
                                           st.integers(-5, 5) | names | st.booleans(), max_size=4),
    "created_at": st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
})


def build(acts, chain=7):
    """Rows as audit.seal writes them, in chain ``chain``."""
    rows, previous = [], journal_chain.GENESIS
    for sequence, act in enumerate(acts, start=1):
        seals = journal_chain.new_seals(act["action"], act["actor_id"], act["details"])
        digest = journal_chain.entry_hash(previous=previous, sequence=sequence, commune_id=chain, seals=seals, **act)
        rows.append({**act, "commune_id": chain, "chain": chain, "sequence": sequence, "previous_hash": previous,
                     "hash": digest, "seals": seals})
        previous = digest
    return rows


def tampered(row, field):
    """``row`` with ``field`` changed to something else (always different)."""
    value = row[field]
    if field in ("chain", "sequence", "commune_id"):
        new = value + 1
    elif field == "actor_id":
        new = 1 if value is None else value + 1
    elif field in ("previous_hash", "hash"):
        new = ("1" if value[0] != "1" else "2") + value[1:]
    elif field in ("action", "target"):
        new = value + "x"
    elif field == "details":
        new = {**(value or {}), "added": True}
    elif field == "created_at":
        new = value + timedelta(microseconds=1)
    elif field == "seals":
        new = {key: {"salt": seal["salt"][::-1] + "0"} for key, seal in value.items()} if value \
            else {"target": {"salt": "00"}}
    return {**row, field: new}


FIELDS = ["chain", "sequence", "previous_hash", "hash", "action", "commune_id", "actor_id", "target", "details",
          "created_at", "seals"]


@settings(max_examples=150, deadline=None)
@given(st.lists(acts, min_size=1, max_size=8), st.data())
def test_tampering_any_field_of_any_entry_is_found_at_that_entry(acts, data):
    rows = build(acts)
    verdict = journal_chain.verify(rows, 7)
    assert verdict.intact and verdict.count == len(rows) and verdict.head == rows[-1]["hash"]
    place = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(FIELDS))
    rows[place] = tampered(rows[place], field)
    verdict = journal_chain.verify(rows, 7)
    assert verdict.broken == place + 1, (field, verdict)


@settings(max_examples=60, deadline=None)
@given(st.lists(acts, min_size=2, max_size=8), st.data())
def test_an_entry_removed_or_two_swapped_break_the_chain(acts, data):
    rows = build(acts)
    place = data.draw(st.integers(0, len(rows) - 2))
    assert journal_chain.verify(rows[:place] + rows[place + 1:], 7).broken == place + 1
    swapped = rows[:place] + [rows[place + 1], rows[place]] + rows[place + 2:]
    assert journal_chain.verify(swapped, 7).broken == place + 1


@settings(max_examples=100, deadline=None)
@given(st.lists(acts, min_size=1, max_size=8), st.data())
def test_erasing_the_named_fields_keeps_the_chain_valid(acts, data):
    rows = build(acts)
    place = data.draw(st.integers(0, len(rows) - 1))
    row = dict(rows[place])
    seals = row["seals"]
    for field in list(seals):
        seals = journal_chain.redact(seals, row, field)
    details = dict(row["details"]) if isinstance(row["details"], dict) else row["details"]
    if isinstance(details, dict):
        details.pop("person_id", None)
        if "person" in details:
            details["person"] = "compte supprimé"
    erased = {**row, "seals": seals, "details": details, "actor_id": None,
              "target": "compte supprimé" if "target" in seals else row["target"]}
    rows[place] = erased
    assert journal_chain.verify(rows, 7).intact
    # What is left of a sealed value is a digest without its salt.
    assert all(set(seal) == {"digest"} for seal in seals.values())
    if seals:  # and the digest itself is still checked
        field = next(iter(seals))
        rows[place] = {**erased, "seals": {**seals, field: {"digest": "0" * 64}}}
        assert journal_chain.verify(rows, 7).broken == place + 1


def test_the_serialisation_is_the_documented_one():
    """Recomputed here by hand, from the README's description, not with the module."""
    moment = datetime(2026, 12, 1, 18, 5, 9, 12)
    digest = journal_chain.entry_hash(previous=journal_chain.GENESIS, sequence=1, action="role.given",
                                      commune_id=3, actor_id=None, target="Odile", details={"role": "b", "a": "é"},
                                      created_at=moment, seals={"target": {"salt": "s"}})
    sealed = hashlib.sha256(b's:"Odile"').hexdigest()
    text = ('{"action":"role.given","actor_id":null,"commune_id":3,"created_at":"2026-12-01T18:05:09.000012",'
            '"details":{"a":"é","role":"b"},"previous":"' + "0" * 64 + '","sequence":1,"target":{"sealed":"'
            + sealed + '"},"version":1}')
    assert digest == hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- In the database --------------------------------------------------------------------


def record_acts(app, commune, count, actor=None, action="commune.edited"):
    with app.test_request_context():
        if actor is not None:
            login_user(actor)
        for number in range(count):
            audit.record(action, commune_id=commune.id if commune else None, target=f"acte {number}",
                         number=number)
        db.session.commit()


def chain_rows(commune_id):
    return db.session.execute(sa.select(AuditEntry.id, AuditEntry.sequence, AuditEntry.previous_hash,
                                        AuditEntry.hash).where(AuditEntry.commune_id.is_(commune_id)
                                                               if commune_id is None else
                                                               AuditEntry.commune_id == commune_id)
                              .order_by(AuditEntry.sequence)).all()


def test_each_commune_has_its_chain_and_the_acts_without_commune_theirs(app, make):
    first, second = make.commune("Une", slug="une"), make.commune("Deux", slug="deux")
    record_acts(app, first, 3, actor=make.user("Camille"))
    record_acts(app, second, 2)
    record_acts(app, None, 2)
    record_acts(app, first, 1)  # a later commit continues the chain
    for commune_id, count in ((first.id, 4), (second.id, 2), (None, 2)):
        rows = chain_rows(commune_id)
        assert [row.sequence for row in rows] == list(range(1, count + 1))
        assert [row.previous_hash for row in rows] == [journal_chain.GENESIS] + [row.hash for row in rows[:-1]]
        verdict = audit.verify(commune_id)
        assert verdict.intact and verdict.count == count
    assert db.session.scalar(sa.select(AuditEntry.chain).where(AuditEntry.commune_id.is_(None)).limit(1)) == 0


def test_an_entry_added_without_record_and_a_savepoint_rolled_back(app, make):
    commune = make.commune()
    with app.test_request_context():
        with db.session.begin_nested():
            audit.record("commune.edited", commune_id=commune.id, target="gardé")
        nested = db.session.begin_nested()
        audit.record("commune.edited", commune_id=commune.id, target="annulé")
        db.session.flush()
        nested.rollback()
        db.session.add(AuditEntry(action="role.given", commune_id=commune.id, target="Odile", details=None))
        db.session.commit()
    assert [e.target for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.sequence))] \
        == ["gardé", "Odile"]
    assert audit.verify(commune.id).intact


# (column, a value it may be changed to in SQL): every stored field of a chained entry.
TAMPERINGS = [
    ("action", "role.given"), ("target", "autre"), ("details", {"number": 99}), ("actor_id", None),
    ("created_at", datetime(2020, 1, 1)), ("sequence", 9), ("previous_hash", "f" * 64), ("hash", "e" * 64),
    ("seals", {}), ("chain", 12345),
]


@pytest.mark.parametrize(("column", "value"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_an_entry_changed_in_the_database_is_found_at_its_number(app, make, column, value):
    commune = make.commune()
    record_acts(app, commune, 5, actor=make.user("Camille"))
    third = chain_rows(commune.id)[2]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == third.id).values({column: value}))
    db.session.commit()
    verdict = audit.verify(commune.id)
    assert verdict.broken == 3 and verdict.count == 5, verdict


def test_a_commune_changed_on_an_entry_is_found(app, make):
    commune, other = make.commune("Une", slug="une"), make.commune("Deux", slug="deux")
    record_acts(app, commune, 3)
    record_acts(app, other, 1)
    second = chain_rows(commune.id)[1]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == second.id).values(commune_id=other.id))
    db.session.commit()
    assert audit.verify(commune.id).broken == 2  # a hole where it was
    assert audit.verify(other.id).broken == 2  # and, read after its own first entry, not in that chain


def test_erasure_keeps_the_chain_valid_and_the_name_gone(app, make):
    from convergence.accounts import erasure

    commune = make.commune()
    person, facilitator = make.user("Bérénice Effacée"), make.user("Fanny")
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau")
    db.session.add(circle)
    db.session.commit()
    with app.test_request_context():
        login_user(person)  # acts she made herself
        audit.record("commune.edited", commune_id=commune.id, target=commune.name)
        audit.record("circle.leave", commune_id=commune.id, target="Eau", person=person.display_name,
                     person_id=person.id, role="member", own_will=True)
        db.session.commit()
    with app.test_request_context():
        login_user(facilitator)  # and acts naming her
        audit.record("role.given", commune_id=commune.id, target=person.display_name, role="resident",
                     person_id=person.id)
        audit.record("circle.join", commune_id=commune.id, target="Eau", person=person.display_name,
                     person_id=person.id, role="member")
        db.session.commit()
        person_id = person.id
        erasure.erase(db.session.get(type(person), person_id), keep_contributions=True, commune=commune)
    db.session.expire_all()
    verdict = audit.verify(commune.id)
    assert verdict.intact and verdict.count == 5, verdict
    stored = json.dumps([list(row) for row in db.session.execute(sa.select(AuditEntry.__table__))],
                        default=str, ensure_ascii=False)
    assert "Bérénice" not in stored and "compte supprimé" in stored
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.sequence)).all()
    assert [e.actor_id for e in entries[:2]] == [None, None]
    assert all("person_id" not in (e.details or {}) for e in entries)
    # Her sealed values are digests without their salts; the facilitator's authorship keeps its salt.
    assert set(entries[0].seals["actor_id"]) == {"digest"}
    assert set(entries[2].seals["target"]) == {"digest"} and set(entries[2].seals["actor_id"]) == {"salt"}
    assert entries[4].action == "account.erased"


def test_the_journal_page_shows_the_chain_and_its_state(app, client, make):
    commune = make.commune(slug="chainee")
    record_acts(app, commune, 3, actor=make.user("Camille"))
    with count_queries(app) as statements:
        page = client.get("/communes/chainee/journal")
    assert page.status_code == 200
    text = visible_text(page)
    assert "Journal vérifié : 3 actes, chaîne intacte." in text.replace("\u202f", " ")
    last = chain_rows(commune.id)[-1]
    assert f'<code title="{last.hash}">{last.hash[:12]}</code>' in page.get_data(as_text=True)
    assert len(statements) <= 12
    first = chain_rows(commune.id)[0]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == first.id).values(target="réécrit"))
    db.session.commit()
    text = visible_text(client.get("/communes/chainee/journal")).replace("\u202f", " ")
    assert "la chaîne est rompue à l'entrée n° 1 sur 3" in text


def test_the_json_export_lets_anyone_recompute_the_chain(app, client, make):
    commune = make.commune(slug="ouverte")
    person = make.user("Camille")
    record_acts(app, commune, 2, actor=person)
    with app.test_request_context():
        login_user(person)
        audit.record("role.given", commune_id=commune.id, target="Odile", role="resident", person_id=3)
        db.session.commit()
    response = client.get("/communes/ouverte/journal.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["commune"]["slug"] == "ouverte" and len(data["entries"]) == 3
    previous = data["genesis"]
    for number, entry in enumerate(data["entries"], start=1):  # as README says, without the module
        fields = {key: entry[key] for key in ("action", "actor_id", "commune_id", "created_at", "target")}
        fields["details"] = dict(entry["details"]) if entry["details"] is not None else None
        for name, seal in entry["seals"].items():
            value = entry["details"].get(name[8:]) if name.startswith("details.") else entry[name]
            sealed = {"sealed": hashlib.sha256(f"{seal['salt']}:".encode() + json.dumps(
                value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()}
            if name.startswith("details."):
                fields["details"][name[8:]] = sealed
            else:
                fields[name] = sealed
        fields.update(previous=previous, sequence=number, version=1)
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(text.encode()).hexdigest() == entry["hash"]
        assert entry["previous_hash"] == previous
        previous = entry["hash"]
    open_data = client.get("/communes/ouverte/donnees-ouvertes").get_data(as_text=True)
    assert "http://localhost/communes/ouverte/journal.json" in open_data


def test_the_command_verifies_and_names_the_first_broken_entry(app, make):
    commune = make.commune(slug="verifiee")
    other = make.commune(slug="autre")
    record_acts(app, commune, 4)
    record_acts(app, other, 1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["journal-verify"])
    assert result.exit_code == 0, result.output
    assert "verifiee : 4 actes, chaîne intacte" in result.output.replace("\u202f", " ")
    second = chain_rows(commune.id)[1]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == second.id).values(action="role.given"))
    db.session.commit()
    result = runner.invoke(args=["journal-verify", "--commune", "verifiee"])
    assert result.exit_code == 1
    assert "entrée n° 2" in result.stderr.replace("\u202f", " ") and "autre" not in result.output
    assert runner.invoke(args=["journal-verify", "--commune", "autre"]).exit_code == 0
    assert runner.invoke(args=["journal-verify", "--commune", "nulle-part"]).exit_code != 0


# --- Two acts at once -------------------------------------------------------------------


@pytest.mark.postgres
def test_acts_committed_at_once_never_fork_the_chain(app, make):
    """Threads that each record acts of the same commune and reach their commit together:
    the chain comes out whole, every place taken once."""
    require_postgres()
    commune = make.commune()
    commune_id = commune.id
    threads, per_thread = 6, 3
    start, errors = threading.Barrier(threads), []

    def act(number):
        try:
            with app.app_context():
                with app.test_request_context():
                    for index in range(per_thread):
                        audit.record("commune.edited", commune_id=commune_id, target=f"{number}-{index}")
                    db.session.flush()  # in the database already, not yet chained
                    start.wait(timeout=20)
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=act, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    rows = chain_rows(commune_id)
    assert [row.sequence for row in rows] == list(range(1, threads * per_thread + 1))
    verdict = audit.verify(commune_id)
    assert verdict.intact and verdict.count == threads * per_thread
    # Each commit's entries are together, in the order they were recorded.
    targets = db.session.scalars(sa.select(AuditEntry.target).order_by(AuditEntry.sequence)).all()
    for start_at in range(0, len(targets), per_thread):
        group = targets[start_at:start_at + per_thread]
        assert [t.split("-")[1] for t in group] == ["0", "1", "2"] and len({t.split("-")[0] for t in group}) == 1


def test_the_database_refuses_a_second_entry_at_the_same_place(app, make):
    commune = make.commune()
    record_acts(app, commune, 1)
    row = chain_rows(commune.id)[0]
    db.session.add(AuditEntry(action="x", commune_id=commune.id, target="", details={}, chain=commune.id,
                              sequence=row.sequence, previous_hash=row.previous_hash, hash=row.hash))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- The entries recorded before the chain -----------------------------------------------


@pytest.fixture
def old_database(test_database_url, tmp_path):
    with separate_database(test_database_url, tmp_path, "journal_chain_upgrade") as url:
        yield url


def test_the_migration_chains_the_entries_already_there(old_database):
    from tests.core.test_demo_upgrade import SNAPSHOT, load_snapshot

    app = make_test_app(old_database, PLUGINS=["mj", "needs", "proposals"])
    with app.app_context():
        try:
            for revision in SNAPSHOT["revisions"]:
                upgrade(revision=revision)
            db.session.remove()
            load_snapshot(db.engine)
            users = db.session.execute(sa.text("SELECT id, display_name FROM users ORDER BY id")).all()
            db.session.remove()  # (its transaction would hold the upgrade's locks)
            old = sa.table("audit_entries", sa.column("actor_id"), sa.column("action"), sa.column("commune_id"),
                           sa.column("target"), sa.column("details", sa.JSON()), sa.column("created_at", sa.DateTime()))
            moment = datetime(2026, 11, 30, 9, 0, 0, 123456)
            with db.engine.begin() as connection:
                connection.execute(old.insert(), [
                    {"actor_id": users[0].id, "action": "role.given", "commune_id": 1, "target": users[1].display_name,
                     "details": {"role": "resident", "person_id": users[1].id}, "created_at": moment},
                    {"actor_id": None, "action": "commune.created", "commune_id": None, "target": "Ailleurs",
                     "details": {}, "created_at": moment},
                    {"actor_id": users[0].id, "action": "circle.join", "commune_id": 1, "target": "Eau",
                     "details": {"person": "compte supprimé", "role": "member"}, "created_at": moment}])
            upgrade(revision="heads")
            db.session.remove()
            rows = db.session.execute(sa.select(AuditEntry.id, AuditEntry.commune_id, AuditEntry.sequence)
                                      .order_by(AuditEntry.id)).all()
            in_commune = [row for row in rows if row.commune_id == 1]
            assert len(in_commune) == len(SNAPSHOT["tables"]["audit_entries"]["rows"]) + 2
            assert [row.sequence for row in in_commune] == list(range(1, len(in_commune) + 1))  # in id order
            assert [row.sequence for row in rows if row.commune_id is None] == [1]
            assert audit.verify(1).intact and audit.verify(1).count == len(in_commune)
            assert audit.verify(None).intact
            # New acts continue the chains the migration made.
            with app.test_request_context():
                audit.record("commune.edited", commune_id=1, target="après")
                db.session.commit()
            assert audit.verify(1).count == len(in_commune) + 1 and audit.verify(1).intact
            assert db.session.get(Commune, 1) is not None
        finally:
            db.session.remove()
            db.engine.dispose()
