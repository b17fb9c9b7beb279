"""The drafting committee's deadline for amendments: set on its page in local time, shown on
the declaration and the tabling page, journalled; past it, tabling is refused with a 409
that says the date, and nothing is written; supports go on until the votes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import to_utc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.cdc.declaration_models import Declaration, DeclarationAmendment
from tests.fixtures import browser_fields, journal_acts, login, visible_text

from .test_procedure import person, prepared
from .test_registration import register


def post(client, url, **data):
    return client.post(url, data={**data, **browser_fields(client, url)})


def declaration() -> Declaration:
    db.session.expire_all()
    return db.session.scalar(db.select(Declaration))


def amendments() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(DeclarationAmendment))


def test_the_committee_sets_a_deadline_shown_and_journalled(app, client, place):
    prepared(app, place, client)
    login(client, place.organiser)
    page = f"{place.base}/declaration/delai"
    assert "Aucune échéance" in visible_text(client.get(page))
    # Local time (Europe/Paris in winter: UTC+1) typed, UTC stored.
    assert post(client, page, deadline="2030-01-15T18:30").status_code == 303
    assert declaration().amendments_deadline == datetime(2030, 1, 15, 17, 30)
    text = visible_text(client.get(f"{place.base}/declaration"))
    assert "Les amendements sont déposés jusqu’au 15 janvier 2030 18:30." in text
    assert "2030-01-15T18:30" in client.get(page).get_data(as_text=True)  # the form shows it again
    visitor = person(app, place.visitor)
    assert "15 janvier 2030 18:30" in visible_text(visitor.get(f"{place.base}/declaration/amender"))
    acts = journal_acts(client, place.commune, "cdc.declaration.deadline")
    assert len(acts) == 1 and "15 janvier 2030 18:30" in acts[0]
    # The same deadline again journals nothing; an empty one removes it.
    post(client, page, deadline="2030-01-15T18:30")
    assert post(client, page, deadline="").status_code == 303
    assert declaration().amendments_deadline is None
    assert len(journal_acts(client, place.commune, "cdc.declaration.deadline")) == 2


def test_past_the_deadline_no_amendment_is_tabled(app, client, place, make):
    prepared(app, place, client)
    found = declaration()
    found.amendments_deadline = to_utc(datetime(2026, 3, 1, 12, 0))  # noon in Paris
    db.session.commit()
    visitor = person(app, place.visitor)
    url = f"{place.base}/declaration/amender"
    before = amendments()
    refused = post(visitor, url, kind="modify", article="1", text="L'eau est à toutes et tous.")
    assert refused.status_code == 409
    text = visible_text(refused)
    assert "Les amendements pouvaient être déposés jusqu’au 1 mars 2026 12:00" in text
    assert "l’échéance est passée" in text
    assert amendments() == before
    assert visitor.get(url).status_code == 409
    # Supports still go on: another delegation supports A1.
    other = person(app, make.user("Voisine"))
    assert register(other, place, collective_name="Collectif voisin").status_code == 303
    support = f"{place.base}/declaration/amendements/1/soutenir"
    assert other.post(support, data=browser_fields(other, f"{place.base}/declaration")).status_code == 303
    # Before the deadline, tabling works.
    found = declaration()
    found.amendments_deadline = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert post(visitor, url, kind="modify", article="1", text="L'eau est à toutes et tous.").status_code == 303
    assert amendments() == before + 1


def test_only_the_committee_sets_it_and_only_before_the_votes(app, client, place):
    prepared(app, place, client)
    visitor = person(app, place.visitor)
    page = f"{place.base}/declaration/delai"
    assert visitor.post(page, data={"deadline": "2030-01-15T18:30", **browser_fields(visitor, f"{place.base}/declaration")}
                        ).status_code == 403
    found = declaration()
    found.state = "voting"
    db.session.commit()
    login(client, place.organiser)
    refused = post(client, page, deadline="2030-01-15T18:30")
    assert refused.status_code == 409
    assert "Le temps des amendements est passé pour cette déclaration." in visible_text(refused)
    assert declaration().amendments_deadline is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def _not_a_deadline(value: str) -> bool:
    """Neither blank (which removes the deadline) nor a local time a browser sends."""
    if not value.strip():
        return False
    try:
        moment = datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return True
    return not 1900 <= moment.year <= 2999


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=30), st.sampled_from([
    "0001-01-01T00:00", "9999-12-31T23:59", "2030-02-30T10:00", "2030-01-15", "15/01/2030 18:30",
    "٢٠٣٠-٠١-١٥T١٨:٣٠", "2030-01-15T25:00", "x" * 100_000, str(2**63)])).filter(_not_a_deadline))
def test_a_hostile_deadline_is_refused_in_french(app, place_for_hypothesis, value):
    from .test_hostile_input import refused_in_french, rows

    place, client = place_for_hypothesis
    if db.session.scalar(db.select(Declaration)) is None:
        prepared(app, place, app.test_client())
    organiser = person(app, place.organiser)
    before = rows()
    response = post(organiser, f"{place.base}/declaration/delai", deadline=value)
    refused_in_french(response, before)
    assert declaration().amendments_deadline is None
