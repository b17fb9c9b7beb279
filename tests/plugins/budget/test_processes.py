"""Budget processes: the calendar (pure, with hypothesis), creating a process in a commune,
an assembly or a circle, its page, its editing and the ballot's rules frozen once the vote
opens; the switch in « Outils »; the panels and actions on the space's page; the journal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry, Circle
from convergence.models.base import utcnow
from plugins.budget import calendar, models
from plugins.budget.calendar import Dates, Events
from plugins.budget.models import Area, Phase, Process, ProjectCategory
from tests.fixtures import browser_fields, count_queries, csrf_token, journal_acts, post_twice, says_replayed, \
    visible_text

from .pb_projects_fixtures import as_user, switch_on, town  # noqa: F401

T0 = datetime(2027, 1, 1)
H = timedelta(hours=1)


# -- the calendar, plain Python ------------------------------------------------------------

def test_the_calendar_names_the_phases_as_the_tables_do():
    assert calendar.PHASES == models.PHASES and calendar.DATED_PHASES == models.DATED_PHASES


def _dates(gaps):
    """Dated phases one after another, from T0, with the hours between each mark."""
    marks, moment = [], T0
    for gap in gaps:
        moment = moment + gap * H
        marks.append(moment)
    return {"submission": Dates(marks[0], marks[1]), "review": Dates(marks[2], marks[3]),
            "vote": Dates(marks[4], marks[5])}


gaps = st.lists(st.integers(min_value=1, max_value=200), min_size=6, max_size=6)
moments = st.lists(st.integers(min_value=-50, max_value=2000), min_size=2, max_size=2).map(sorted)
events = st.builds(Events, vote_closed=st.booleans(), result_published=st.booleans(),
                   decision_recorded=st.booleans(), follow_up_started=st.booleans())


@given(gaps, moments, events)
@settings(max_examples=300, deadline=None)
def test_the_phase_never_goes_back_as_time_passes(gaps, hours, happened):
    dates = _dates(gaps)
    assert calendar.dates_problem(dates) is None
    earlier, later = (calendar.current_phase(dates, happened, T0 + h * H) for h in hours)
    rank = (lambda p: -1 if p is None else models.PHASES.index(p))
    assert rank(earlier) <= rank(later)


@given(gaps, st.integers(min_value=-50, max_value=2000))
@settings(max_examples=300, deadline=None)
def test_a_dated_phase_is_open_exactly_within_its_dates_when_no_event_came(gaps, hour):
    dates, now = _dates(gaps), T0 + hour * H
    for name in models.DATED_PHASES:
        within = dates[name].starts_at <= now < dates[name].ends_at
        assert calendar.is_open(dates, Events(), name, now) == within
    steps = calendar.steps(dates, Events(), now)
    assert [s.name for s in steps] == list(models.PHASES)
    assert sum(s.state == calendar.CURRENT for s in steps) == (0 if now < dates["submission"].starts_at else 1)
    assert calendar.vote_has_opened(dates, now) == (now >= dates["vote"].starts_at)


@given(gaps, st.integers(min_value=-50, max_value=2000))
@settings(max_examples=200, deadline=None)
def test_the_events_start_the_later_phases_whatever_the_dates(gaps, hour):
    dates, now = _dates(gaps), T0 + hour * H
    assert calendar.current_phase(dates, Events(result_published=True), now) == "results"
    assert calendar.current_phase(dates, Events(result_published=True, decision_recorded=True), now) == "deliberation"
    assert calendar.current_phase(dates, Events(decision_recorded=True, follow_up_started=True), now) == "follow_up"
    closed = calendar.current_phase(dates, Events(vote_closed=True), now)
    assert closed == "counting"
    assert not calendar.is_open(dates, Events(vote_closed=True), "vote", now)


def test_the_counting_starts_at_the_vote_s_end_and_gaps_stay_in_the_phase_that_ended():
    dates = _dates([1, 10, 5, 10, 5, 10])  # submission 1–11, review 16–26, vote 31–41
    at = (lambda h: calendar.current_phase(dates, Events(), T0 + h * H))
    assert [at(0), at(1), at(12), at(16), at(30), at(31), at(40), at(41)] == [
        None, "submission", "submission", "review", "review", "vote", "vote", "counting"]
    assert not calendar.is_open(dates, Events(), "submission", T0 + 12 * H)


def test_dates_out_of_order_are_named():
    assert calendar.dates_problem({"submission": Dates(T0, T0)}) == "submission:ends_before_start"
    assert calendar.dates_problem({"submission": Dates(T0, T0 + 5 * H), "review": Dates(T0 + H, T0 + 9 * H)}) == \
        "review:overlaps:submission"
    assert calendar.dates_problem({"submission": Dates(T0, T0 + H), "vote": Dates(T0 + H, None)}) is None


# -- creating a process --------------------------------------------------------------------

def _fields(**more):
    fields = {"title": "Budget participatif 2027", "description": "Des **projets** <script>alert(1)</script>",
              "envelope": "150 000 €", "areas": "Nord\nSud ; 40 000", "categories": "Nature\nMobilité",
              "submission_starts": "2027-01-10T09:00", "submission_ends": "2027-02-10T18:00",
              "review_starts": "2027-02-11T09:00", "review_ends": "2027-03-10T18:00",
              "vote_starts": "2027-03-15T09:00", "vote_ends": "2027-03-30T18:00",
              "ballot_kind": "approval", "min_choices": "1", "max_choices": "5", "rule": "equalshares/add1",
              "voters": "both", "review_circle_id": ""}
    fields.update(more)
    return fields


def test_a_facilitator_creates_a_process_in_the_commune(app, town):
    client = as_user(app, town.facilitator)
    page = f"/budgets/nouveau?space={town.commune.space_id}"
    form = client.get(page).get_data(as_text=True)
    assert "Méthode des parts égales" in form and "Nouveau budget participatif" in form
    response = client.post(page, data={**_fields(), **browser_fields(client, page)})
    assert response.status_code == 302
    process = db.session.scalar(db.select(Process))
    assert response.headers["Location"].endswith(f"/budgets/{process.id}")
    assert (process.title, process.envelope, process.voters, process.max_choices, process.space_id) == (
        "Budget participatif 2027", 150_000, "both", 5, town.commune.space_id)
    assert "<strong>projets</strong>" in process.description_html and "<script" not in process.description_html
    assert [p.name for p in process.phases] == list(models.PHASES)
    # Paris is UTC+1 in winter: 09:00 there is 08:00 UTC.
    assert process.phase("vote").starts_at == datetime(2027, 3, 15, 8, 0)
    assert process.phase("counting").starts_at is None
    assert [(a.name, a.envelope) for a in process.areas] == [("Nord", None), ("Sud", 40_000)]
    assert [c.name for c in process.categories] == ["Mobilité", "Nature"]
    assert journal_acts(client, town.commune, "budget.") == [
        f"Facilitatrice a créé le budget participatif n° {process.id} « Budget participatif 2027 », "
        "avec une enveloppe de 150 000 €."]


def test_a_process_form_sent_twice_creates_one_process(app, town):
    client = as_user(app, town.facilitator)
    page = f"/budgets/nouveau?space={town.commune.space_id}"
    first, again = post_twice(client, page, page, _fields())
    assert first.status_code == 302 and says_replayed(again)
    assert db.session.scalar(db.select(db.func.count()).select_from(Process)) == 1


def test_the_process_page_shows_the_calendar_the_rules_and_the_projects(app, town):
    process = town.process("submission", ballot_kind="points", max_points_per_project=3, max_points=7)
    town.project(process, "Un verger", cost=12_000)
    text = visible_text(as_user(app, town.resident).get(f"/budgets/{process.id}"))
    assert "Phase en cours : Dépôt des projets" in text
    assert "Enveloppe : 100 000 €" in text
    assert "au plus 3 points pour un projet et 7 points en tout" in text
    assert "méthode des parts égales" in text.lower()
    assert "N° 1 — Un verger" in text and "12 000 €" in text
    assert "Proposer un projet" in text


def test_a_process_in_an_assembly_and_in_a_circle(app, town, make):
    assembly = make.assembly(town.commune)
    circle = town.circle("Jeunesse")
    make.role(town.resident, "co_lead", circle=circle)
    switch_on(assembly.space_id)
    switch_on(circle.space_id)
    for user, query, space_id in ((town.facilitator, f"assembly={assembly.id}", assembly.space_id),
                                  (town.resident, f"circle={circle.id}", circle.space_id)):
        client = as_user(app, user)
        page = f"/budgets/nouveau?{query}"
        response = client.post(page, data={**_fields(title=f"Budget {query}"), **browser_fields(client, page)})
        assert response.status_code == 302, visible_text(response)
        assert db.session.scalar(db.select(Process.space_id).where(Process.title == f"Budget {query}")) == space_id
    shown = visible_text(as_user(app, town.other).get(f"/cercles/{circle.id}"))
    assert "Budgets participatifs" in shown and f"Budget circle={circle.id}" in shown


def test_only_facilitators_create_and_edit(app, town):
    process = town.process()
    resident = as_user(app, town.resident)
    assert resident.get(f"/budgets/nouveau?space={town.commune.space_id}").status_code == 403
    assert resident.get(f"/budgets/{process.id}/modifier").status_code == 403
    token = csrf_token(resident, f"/budgets/{process.id}")
    assert resident.post(f"/budgets/{process.id}/modifier", data={**_fields(), "csrf_token": token}).status_code == 403
    assert db.session.get(Process, process.id).title == "Budget 2027"


def test_a_bad_envelope_or_bad_rules_are_refused_with_what_was_typed(app, town):
    client = as_user(app, town.facilitator)
    page = f"/budgets/nouveau?space={town.commune.space_id}"
    for fields, message in (({"envelope": "-500"}, "Le montant ne peut pas être négatif."),
                            ({"envelope": "beaucoup"}, "Écrivez le montant en euros avec des chiffres"),
                            ({"areas": "Nord ; -3"}, "Nord : Le montant ne peut pas être négatif."),
                            ({"max_choices": "0"}, "au moins le minimum"),
                            ({"ballot_kind": "points", "max_points_per_project": "", "max_points": ""},
                             "Un bulletin à points demande"),
                            ({"vote_starts": "2027-03-01T09:00"}, "doit commencer une fois la phase précédente"),
                            ({"rule": "dictator"}, "Règle d'attribution inconnue.")):
        response = client.post(page, data={**_fields(**fields), **browser_fields(client, page)})
        text = visible_text(response)
        assert response.status_code == 422, fields
        assert message in text.replace("\u202f", " ").replace("\xa0", " "), (fields, text[:2000])
        typed = next(iter(fields.values()))
        if "rule" not in fields:  # a forged choice is not one of the select's to show again
            assert typed in response.get_data(as_text=True), fields
    assert db.session.scalar(db.select(db.func.count()).select_from(Process)) == 0


# -- the rules frozen once the vote opens --------------------------------------------------

def _edit(client, process, **more):
    page = f"/budgets/{process.id}/modifier"
    fields = {name: value for name, value in browser_fields(client, page).items()}
    fields.update(_form_of(client, page))
    fields.update(more)
    return client.post(page, data=fields)


def _form_of(client, page):
    """What the edit page's form holds as drawn (inputs, selects, textareas)."""
    html = client.get(page).get_data(as_text=True)
    values = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        values[name] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = body.strip("\r\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        values[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    values.pop("double_entry", None)  # a checkbox is sent only when ticked
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in values.items()}


def test_rules_change_freely_before_the_vote(app, town):
    process = town.process("review")
    client = as_user(app, town.facilitator)
    response = _edit(client, process, rule="greedy", max_choices="3", envelope="90 000", title="Budget revu")
    assert response.status_code == 302, visible_text(response)
    db.session.expire_all()
    process = db.session.get(Process, process.id)
    assert (process.rule, process.max_choices, process.envelope, process.title) == ("greedy", 3, 90_000, "Budget revu")
    assert [a.name for a in process.areas] == ["Nord", "Sud"]


def test_rules_are_frozen_once_the_vote_opens(app, town):
    process = town.process("vote")
    client = as_user(app, town.facilitator)
    page = visible_text(client.get(f"/budgets/{process.id}/modifier"))
    assert "Figées depuis l'ouverture du vote" in page
    stored_start = db.session.get(Process, process.id).phases
    vote_start = next(p.starts_at for p in stored_start if p.name == "vote")
    drawn_start = _form_of(client, f"/budgets/{process.id}/modifier")["vote_starts"]
    later_start = (datetime.fromisoformat(drawn_start) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for change in ({"rule": "greedy"}, {"max_choices": "2"}, {"envelope": "200 000"}, {"areas": "Nord ; 5 000\nSud ; 40 000"},
                   {"ballot_kind": "knapsack"}, {"voters": "codes"}, {"double_entry": "y"},
                   {"vote_starts": later_start}):
        response = _edit(client, process, title="Changé", **change)
        assert response.status_code == 409, change
        assert "Les règles du vote sont figées depuis l'ouverture du vote" in visible_text(response).replace("\u202f", " ")
        assert "Changé" in response.get_data(as_text=True)  # what was typed stays
    db.session.expire_all()
    process = db.session.get(Process, process.id)
    assert (process.rule, process.max_choices, process.envelope, process.title, process.ballot_kind) == (
        "equalshares/add1", None, 100_000, "Budget 2027", "approval")
    assert [(a.name, a.envelope) for a in process.areas] == [("Nord", None), ("Sud", 40_000)]
    assert process.double_entry is False
    assert next(p.starts_at for p in process.phases if p.name == "vote") == vote_start
    # What is not a rule may still change.
    assert _edit(client, process, title="Budget 2027, vote ouvert").status_code == 302
    db.session.expire_all()
    assert db.session.get(Process, process.id).title == "Budget 2027, vote ouvert"
    text = visible_text(client.get(f"/budgets/{process.id}"))
    assert "Figées depuis l'ouverture du vote" in text and "Phase en cours : Vote" in text


def test_the_points_limits_are_frozen_once_the_vote_opens(app, town):
    # On an approval ballot the points fields are not rules (they are stored empty):
    # a points ballot's limits are.
    process = town.process("vote", ballot_kind="points", max_points_per_project=3, max_points=7,
                           title="Budget à points")
    client = as_user(app, town.facilitator)
    for change in ({"max_points_per_project": "4"}, {"max_points": "8"}):
        response = _edit(client, process, title="Changé", **change)
        assert response.status_code == 409, change
        assert "Les règles du vote sont figées depuis l'ouverture du vote" in visible_text(response).replace("\u202f", " ")
    db.session.expire_all()
    process = db.session.get(Process, process.id)
    assert (process.max_points_per_project, process.max_points, process.title) == (3, 7, "Budget à points")


def test_the_frozen_mark_alone_freezes_the_rules_before_the_start_date(app, town):
    process = town.process("review")
    process.rules_frozen_at = utcnow()  # the ballot branch opened the vote early
    db.session.commit()
    response = _edit(as_user(app, town.facilitator), process, rule="greedy")
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Process, process.id).rule == "equalshares/add1"


# -- the space's page and « Outils » ---------------------------------------------------------

def test_the_commune_page_lists_its_processes_and_offers_to_submit(app, town):
    open_one = town.process("submission", title="Budget ouvert")
    town.process("review", title="Budget à l'étude")
    text = visible_text(as_user(app, town.resident).get(f"/communes/{town.commune.slug}"))
    assert "Budget ouvert" in text and "Budget à l'étude" in text
    assert "Phase : Dépôt des projets" in text and "Phase : Étude de faisabilité" in text
    html = as_user(app, town.resident).get(f"/communes/{town.commune.slug}").get_data(as_text=True)
    assert f'href="/budgets/{open_one.id}/projets/nouveau"' in html
    home = visible_text(app.test_client().get("/"))
    assert "Budget ouvert" in home and "Budget à l'étude" not in home  # open-now: the dépôt open


def test_the_commune_page_costs_the_same_queries_whatever_its_processes(app, town):
    town.process("submission", title="Premier")
    client = as_user(app, town.resident)
    url = f"/communes/{town.commune.slug}"

    def count():
        client.get(url)
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    one = count()
    for phase in ("before", "review", "vote", "counting"):
        town.process(phase, title=f"Budget {phase}")
    assert count() == one


def test_the_plug_in_is_switched_on_in_the_tools_of_a_commune(app, make):
    commune = make.commune("Sans budget")
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    client = as_user(app, admin)
    url = f"/communes/{commune.slug}/outils"
    page = client.get(url).get_data(as_text=True)
    assert 'value="budget"' in page and 'value="budget" checked' not in page
    assert client.get(f"/budgets/nouveau?space={commune.space_id}").status_code == 404
    checked = re.findall(r'name="plugin" (?:type="checkbox" )?value="([^"]+)" checked', page) or \
        re.findall(r'value="([^"]+)" checked[^>]*name="plugin"', page)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "plugin": [*checked, "budget"]})
    assert response.status_code == 302
    assert 'value="budget" checked' in client.get(url).get_data(as_text=True)
    assert client.get(f"/budgets/nouveau?space={commune.space_id}").status_code == 200
    assert "Créer un budget participatif" in visible_text(client.get(f"/communes/{commune.slug}"))


def test_a_process_of_a_space_where_the_plug_in_is_off_is_not_there(app, town, make):
    other = make.commune("Ailleurs")
    process = town.process(space=other)
    assert as_user(app, town.resident).get(f"/budgets/{process.id}").status_code == 404


def test_the_models_helpers(app, town):
    process = town.process()
    assert db.session.scalar(db.select(db.func.count()).select_from(Phase).where(Phase.process_id == process.id)) == 7
    assert {a.name for a in db.session.scalars(db.select(Area))} == {"Nord", "Sud"}
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectCategory)) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Circle)) == 0
