"""Many delegations registering at the same instant against the caps: each counted once,
none past a cap, none lost (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

import pytest

from convergence.extensions import db
from plugins.cdc.models import Delegation, Member
from tests.fixtures import browser_fields, login, require_postgres

from .conftest import build, registration_data

pytestmark = pytest.mark.postgres


def test_twelve_at_once_against_a_cap_of_five(app, make):
    require_postgres()
    place = build(make, delegation_cap=5)
    people = [make.user(f"Tête {n}") for n in range(12)]
    page = f"{place.base}/inscription"
    prepared = []
    for n, person in enumerate(people):
        client = app.test_client()
        login(client, person)
        data = registration_data(place, collective_name=f"Collectif {n}", **{
            f"workshop_{place.session('Démocratie directe')}": "0"})
        prepared.append((client, {**data, **browser_fields(client, page)}))
    start = threading.Barrier(len(prepared))
    statuses, errors = [], []

    def post(client, data):
        try:
            start.wait(timeout=10)
            statuses.append(client.post(page, data=data).status_code)
            statuses.append(client.post(page, data=data).status_code)  # a double press
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=post, args=p) for p in prepared]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    assert statuses.count(303) + statuses.count(302) == 24, statuses
    db.session.expire_all()
    rows = db.session.execute(db.select(Delegation.status, db.func.count(Delegation.id))
                              .group_by(Delegation.status)).all()
    assert dict(rows) == {"registered": 5, "waiting": 7}
    assert db.session.scalar(db.select(db.func.count(db.distinct(Delegation.registered_by_id)))) == 12
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 36
