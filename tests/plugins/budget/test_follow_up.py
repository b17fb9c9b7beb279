"""The follow-up of funded projects (suivi de réalisation): the funded list adjusted by the
council decision, each project's public page updated by facilitators and elected members
(every change in the journal), the budget's progress weighted by cost, and the CSV export
and re-import that give back the same data."""

from __future__ import annotations

import csv
import io
from datetime import date
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.budget import follow_up, follow_up_data
from plugins.budget.follow_up_math import Work, budget_progress, funded_ids, shown, totals
from plugins.budget.models import Decision, Departure, FollowUp, Milestone
from tests.fixtures import (browser_fields, count_queries, journal_acts, login, post_twice, says_replayed,
                            visible_text)

from .decision_fixtures import Budget, budget, build_budget  # noqa: F401  (budget: a fixture)

STATUSES = ("to_start", "in_progress", "done", "abandoned")


def decide(b: Budget, departures: dict[int, tuple[bool, str]] | None = None) -> Decision:
    """The council decision, written directly (its page is tested in test_decision.py)."""
    decision = Decision(process_id=b.process.id, number="2026-042", decided_on=date(2026, 11, 30),
                        recorded_by_id=b.elected.id, recorded_at=utcnow())
    for number, (funded, reason) in (departures or {}).items():
        decision.departures.append(Departure(project_id=b.project(number).id, funded=funded, reason=reason))
    db.session.add(decision)
    db.session.commit()
    return decision


def page(b: Budget, number: int) -> str:
    return f"/budgets/{b.process.id}/projets/{number}/suivi"


def update_data(**more) -> dict:
    data = {"status": "in_progress", "progress": "40", "committed": "30000", "spent": "12000", "reason": ""}
    data.update(more)
    return data


def post(client, url: str, data: dict, page_url: str | None = None):
    return client.post(url, data={**data, **browser_fields(client, page_url or url)})


def follow_of(b: Budget, number: int) -> FollowUp | None:
    db.session.expire_all()  # the requests wrote through their own sessions
    return db.session.get(FollowUp, b.project(number).id)


# -- the pure arithmetic --------------------------------------------------------------------

works = st.builds(Work, cost=st.integers(0, 10**7), progress=st.integers(0, 100), status=st.sampled_from(STATUSES))


@given(st.lists(works, max_size=30))
def test_the_budget_progress_is_a_percentage_and_ignores_abandoned_projects(items):
    progress = budget_progress(items)
    assert 0 <= progress <= 100
    counted = [w for w in items if w.status != "abandoned"]
    assert progress == budget_progress(counted)
    if counted and all(w.progress == counted[0].progress for w in counted):
        assert progress == counted[0].progress  # every project at p %: the budget at p %
    assert budget_progress(list(reversed(items))) == progress  # the order does not matter


@given(st.lists(works, min_size=1, max_size=20), st.integers(2, 50))
def test_only_the_proportions_of_the_costs_count(items, factor):
    scaled = [Work(w.cost * factor, w.progress, w.status) for w in items]
    assert budget_progress(scaled) == budget_progress(items)


@given(st.lists(works, min_size=1, max_size=20), st.data())
def test_a_project_going_further_never_holds_the_budget_back(items, data):
    index = data.draw(st.integers(0, len(items) - 1))
    item = items[index]
    further = Work(item.cost, data.draw(st.integers(item.progress, 100)), item.status)
    assert budget_progress(items[:index] + [further] + items[index + 1:]) >= budget_progress(items)


def test_the_weights_are_the_costs():
    # A 90 000 € square half built and a 10 000 € bench finished: 55 %, not 75 %.
    assert budget_progress([Work(90_000, 50), Work(10_000, 100)]) == 55
    assert budget_progress([Work(0, 20), Work(0, 60)]) == 40  # no weight: the plain mean
    assert budget_progress([Work(5_000, 100, "abandoned")]) == 0
    assert shown(Fraction(1999, 20)) == "99,9" and shown(Fraction(0)) == "0,0"
    assert totals([Work(10, 0, committed=4, spent=3), Work(5, 0, committed=1)], 100).left == 95


@given(st.sets(st.integers(1, 40)), st.dictionaries(st.integers(1, 40), st.booleans()))
def test_departures_reverse_the_result_where_they_say(result, departures):
    funded = funded_ids(result, departures.items())
    for project in range(1, 41):
        expected = departures.get(project, project in result)
        assert (project in funded) == expected


# -- the CSV text -------------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", "=", "+", "-", "@", "'"]),
               max_size=40).map(str.strip)
label = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).map(
    str.strip).filter(bool)
milestones = st.lists(st.builds(follow_up_data.Milestone, on=st.dates(date(1900, 1, 1), date(2999, 12, 31)),
                                label=label, done=st.booleans()), max_size=4).map(
    # As a project holds them: by date, those of one date in the order they were added.
    lambda found: tuple(sorted(found, key=lambda m: m.on)))


@st.composite
def rows(draw):
    found = []
    for number in draw(st.lists(st.integers(1, 10_000), unique=True, min_size=1, max_size=8)):
        status = draw(st.sampled_from(STATUSES))
        progress = 100 if status == "done" else draw(st.integers(0, 100))
        committed = draw(st.integers(0, follow_up_data.MONEY_MAX))
        reason = draw(text.filter(bool)) if status == "abandoned" else draw(st.sampled_from(["", ""]))
        found.append(follow_up_data.Row(number=number, title=draw(text), status=status, progress=progress,
                                        committed=committed, spent=draw(st.integers(0, committed)), reason=reason,
                                        milestones=draw(milestones)))
    return found


# ``app`` only gives gettext its context (no state kept between examples).
@given(rows())
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_is_written_reads_back_the_same(app, written):
    with app.test_request_context():
        read = follow_up_data.read(follow_up_data.write(written))
    assert read == written
    assert [r.title for r in read] == [r.title for r in written]


def test_cells_that_look_like_formulas_are_neutralised_and_read_back(app):
    row = follow_up_data.Row(number=3, title="=HYPERLINK(\"x\")", status="abandoned", progress=10, committed=5,
                             spent=0, reason="-2 ans de retard", milestones=(follow_up_data.Milestone(
                                 date(2027, 3, 1), "@mairie", True),))
    written = follow_up_data.write([row])
    cells = list(csv.reader(io.StringIO(written)))[1]
    assert cells[1] == "'=HYPERLINK(\"x\")" and cells[6] == "'-2 ans de retard"
    assert cells[7] == "2027-03-01 [x] @mairie"
    with app.test_request_context():
        assert follow_up_data.read(written) == [row]


def malformed(app, text: str) -> tuple[int, str]:
    with app.test_request_context():
        try:
            follow_up_data.read(text)
        except follow_up_data.Problem as problem:
            return problem.line, problem.message.replace("\u202f", " ").replace("\xa0", " ")
    raise AssertionError("read without a problem")


HEADER = "number,title,status,progress,committed,spent,reason,milestones\n"


def test_malformed_files_say_the_line(app):
    good = '1,Banc,in_progress,10,5,0,,"2026-01-02 [ ] Commande"\n'
    assert malformed(app, "") == (0, "Le fichier est vide.")
    assert malformed(app, "numero;titre\n")[0] == 1
    assert malformed(app, HEADER + good + "2,Fontaine,ouvert,0,0,0,,\n") == (3, "État inconnu « ouvert ».")
    assert malformed(app, HEADER + good + "2,Fontaine,in_progress,120,0,0,,\n") == (
        3, "L'avancement est un pourcentage, entre 0 et 100.")
    assert malformed(app, HEADER + good + "x,Fontaine,in_progress,1,0,0,,\n") == (
        3, "numéro : « x » n'est pas un nombre entier positif ou nul.")
    assert malformed(app, HEADER + good + "2,Fontaine,abandoned,0,0,0,,\n") == (
        3, "Dites publiquement pourquoi le projet est abandonné.")
    assert malformed(app, HEADER + good + "2,Fontaine,in_progress,1,5,9,,\n")[0] == 3
    assert malformed(app, HEADER + good + "2,Fontaine,in_progress,1,-5,0,,\n")[0] == 3
    assert malformed(app, HEADER + good + "2,Fontaine,done,1,0,0,,\n") == (3, "Un projet réalisé est à 100 %.")
    assert malformed(app, HEADER + good + "1,Banc,done,100,0,0,,\n") == (3, "Le projet 1 figure sur deux lignes.")
    assert malformed(app, HEADER + good + "2,Fontaine,in_progress,1,0,0\n") == (3, "6 cellules au lieu de 8.")
    assert malformed(app, HEADER + good + '2,Fontaine,in_progress,1,0,0,,"2026-02-30 [ ] Pose"\n')[0] == 3
    assert malformed(app, HEADER + good + '2,Fontaine,in_progress,1,0,0,,"demain: pose"\n')[0] == 3
    # A cell spanning lines: the next record's line is counted from the file's lines.
    multi = '1,Banc,in_progress,10,5,0,,"2026-01-02 [ ] Commande\n2026-02-02 [x] Pose"\n'
    assert malformed(app, HEADER + multi + "2,Fontaine,ouvert,0,0,0,,\n")[0] == 4
    assert malformed(app, HEADER)[0] == 0


# -- funded projects ----------------------------------------------------------------------

def test_funded_projects_follow_the_result_then_the_decision(app, make):
    b = build_budget(make, published=False)
    assert follow_up.funded_projects(b.process) == []  # not published: nothing funded
    db.session.execute(db.text("UPDATE budget_results SET state = 'published'"))
    db.session.commit()
    assert [p.number for p in follow_up.funded_projects(b.process)] == [1, 2, 3]
    decide(b, {1: (False, "Trop cher."), 5: (True, "Financé par la voirie.")})
    assert [p.number for p in follow_up.funded_projects(b.process)] == [2, 3, 5]


# -- a project's page ---------------------------------------------------------------------

def test_a_funded_project_page_is_public_with_the_needs_it_answers(app, client, budget):
    from convergence.participation import links
    from plugins.needs import lists
    from plugins.needs.models import Category, Need

    with app.test_request_context():
        lists.ensure_defaults(budget.commune)
    water = db.session.scalar(db.select(Category).where(Category.commune_id == budget.commune.id,
                                                        Category.code == "eau"))
    need = Need(commune_id=budget.commune.id, category_id=water.id, title="Fontaine à réparer",
                author_id=budget.resident.id)
    db.session.add(need)
    db.session.flush()
    links.link(budget.project(1).subject_id, need.subject_id)
    db.session.commit()
    decide(budget)
    response = client.get(page(budget, 1))
    text = visible_text(response)
    assert response.status_code == 200
    assert "Suivi : 1. Projet 1" in text and "À lancer" in text and "0 % réalisé" in text.replace("\u202f", " ")
    assert "Les besoins auxquels il répond" in text and "Fontaine à réparer" in text
    assert "Le conseil adopte le résultat du vote" in text
    assert 'name="progress"' not in response.get_data(as_text=True)  # a visitor reads, no form
    assert follow_of(budget, 1) is None  # reading writes nothing
    assert client.get(page(budget, 4)).status_code == 404  # not funded: no follow-up
    assert client.get(page(budget, 99)).status_code == 404


def test_a_facilitator_updates_the_follow_up_and_the_journal_says_so(app, client, budget):
    decide(budget)
    login(client, budget.facilitator)
    response = post(client, page(budget, 2), update_data())
    assert response.status_code == 303
    follow = follow_of(budget, 2)
    assert (follow.status, follow.progress, follow.committed, follow.spent, follow.updated_by_id) == (
        "in_progress", 40, 30_000, 12_000, budget.facilitator.id)
    text = visible_text(client.get(page(budget, 2)))
    assert "En cours" in text and "40 % réalisé" in text.replace("\u202f", " ")
    acts = journal_acts(client, budget.commune, "budget.follow_up")
    assert [a.replace("\u202f", " ").replace("\xa0", " ") for a in acts] == [
        "Camille a mis à jour le suivi du projet 2 « Projet 2 » : 40 % réalisé, 30000 € engagés, 12000 € dépensés."]
    # The elected member may too; the same values again journal nothing more.
    client = client.application.test_client()
    login(client, budget.elected)
    assert post(client, page(budget, 2), update_data()).status_code == 303
    assert len(journal_acts(client, budget.commune, "budget.follow_up")) == 1
    assert post(client, page(budget, 2), update_data(status="abandoned", reason="Terrain pollué.")).status_code == 303
    assert (follow_of(budget, 2).status, follow_of(budget, 2).reason) == ("abandoned", "Terrain pollué.")
    assert "Terrain pollué." in visible_text(client.get(page(budget, 2)))


def test_a_resident_may_not_update(app, client, budget):
    decide(budget)
    login(client, budget.resident)
    data = {**update_data(), "csrf_token": browser_fields(client, page(budget, 1))["csrf_token"]}
    assert client.post(page(budget, 1), data=data).status_code == 403
    assert follow_of(budget, 1) is None


def test_bad_follow_up_values_are_refused_with_what_was_typed(app, client, budget):
    decide(budget)
    login(client, budget.facilitator)
    abandoned = post(client, page(budget, 1), update_data(status="abandoned", progress="37"))
    assert abandoned.status_code == 422
    assert "Dites publiquement pourquoi le projet est abandonné." in visible_text(abandoned)
    assert 'value="37"' in abandoned.get_data(as_text=True)
    overspent = post(client, page(budget, 1), update_data(committed="100", spent="200"))
    assert overspent.status_code == 422 and "Plus de dépenses que d'engagements" in visible_text(overspent)
    for wrong in ({"progress": "140"}, {"progress": "-3"}, {"committed": "beaucoup"}, {"status": "fini"}):
        assert post(client, page(budget, 1), update_data(**wrong)).status_code == 422, wrong
    assert follow_of(budget, 1) is None
    assert journal_acts(client, budget.commune, "budget.") == []


def test_no_update_before_the_council_decision(app, client, budget):
    login(client, budget.facilitator)
    response = post(client, page(budget, 1), update_data())
    assert response.status_code == 409
    assert "Le suivi commence une fois la délibération enregistrée." in visible_text(response)
    assert follow_of(budget, 1) is None


def test_milestones_are_added_once_and_marked_done(app, client, budget):
    decide(budget)
    login(client, budget.facilitator)
    add = page(budget, 3) + "/jalons"
    first, again = post_twice(client, page(budget, 3), add, {"on": "2027-03-01", "label": "Pose des bancs"})
    assert first.status_code == 303 and says_replayed(again)
    milestone = db.session.scalar(db.select(Milestone))
    assert (milestone.on, milestone.label, milestone.done) == (date(2027, 3, 1), "Pose des bancs", False)
    assert db.session.scalar(db.select(db.func.count()).select_from(Milestone)) == 1
    done = f"{add}/{milestone.id}"
    for _press in range(2):  # the button sets « done »: a second press changes nothing
        assert post(client, done, {"done": "1"}, page(budget, 3)).status_code == 303
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).done is True
    acts = journal_acts(client, budget.commune, "budget.milestone")
    assert len(acts) == 2 and "Pose des bancs" in acts[0] and "franchie" in acts[0]
    text = visible_text(client.get(page(budget, 3)))
    assert "1 mars 2027 — Pose des bancs franchie" in text
    empty = post(client, add, {"on": "", "label": ""}, page(budget, 3))
    assert empty.status_code == 422 and "Nommez l'étape." in visible_text(empty)
    assert post(client, f"{add}/{milestone.id + 99}", {"done": "1"}, page(budget, 3)).status_code == 404


# -- the budget's page, its CSV and the re-import -------------------------------------------

def set_follow_up(b: Budget, number: int, status: str, progress: int, committed: int = 0, spent: int = 0,
                  reason: str = "", milestones=()) -> None:
    follow = FollowUp(project_id=b.project(number).id, status=status, progress=progress, committed=committed,
                      spent=spent, reason=reason)
    follow.milestones = [Milestone(project_id=b.project(number).id, on=on, label=text, done=done)
                         for on, text, done in milestones]
    db.session.add(follow)
    db.session.commit()


def test_the_budget_page_weighs_progress_by_cost(app, client, budget):
    decide(budget)
    # Costs 40 000, 25 000, 20 000: (40 000 × 50 + 25 000 × 100 + 20 000 × 0) / 85 000 = 52.9 %.
    set_follow_up(budget, 1, "in_progress", 50, committed=30_000, spent=10_000)
    set_follow_up(budget, 2, "done", 100, committed=25_000, spent=25_000)
    text = visible_text(client.get(f"/budgets/{budget.process.id}/suivi")).replace("\u202f", " ").replace(
        "\xa0", " ")
    assert "52,9 % réalisé" in text
    assert "Engagé 55 000 €" in text and "Dépensé 35 000 €" in text and "Enveloppe 100 000 €" in text
    assert "Coût des projets financés 85 000 €" in text
    assert "1. Projet 1" in text and "3. Projet 3" in text and "4. Projet 4" not in text
    set_follow_up(budget, 3, "abandoned", 0, reason="Terrain vendu.")
    text = visible_text(client.get(f"/budgets/{budget.process.id}/suivi")).replace("\u202f", " ")
    assert "69,2 % réalisé" in text  # (40 000 × 50 + 25 000 × 100) / 65 000, project 3 abandoned


def test_the_follow_up_pages_take_a_bounded_number_of_queries(app, client, make):
    counts = {"budget": [], "project": []}
    for size in (4, 16):
        b = build_budget(make, costs=[1_000 * (n + 1) for n in range(size)], funded_numbers=range(1, size + 1))
        decide(b)
        for number in range(1, size + 1):
            set_follow_up(b, number, "in_progress", number, milestones=[(date(2027, 1, number), f"Étape {number}",
                                                                          False)])
        login(client, b.facilitator)
        with count_queries(app) as statements:
            assert client.get(f"/budgets/{b.process.id}/suivi").status_code == 200
        counts["budget"].append(len(statements))
        with count_queries(app) as statements:
            assert client.get(page(b, size)).status_code == 200
        counts["project"].append(len(statements))
        with count_queries(app) as statements:
            assert client.get(f"/budgets/{b.process.id}/suivi.csv").status_code == 200
        counts.setdefault("csv", []).append(len(statements))
        client = client.application.test_client()
    for name, (small, large) in counts.items():
        assert small == large and large <= 16, (name, counts)


def export(client, b: Budget) -> str:
    response = client.get(f"/budgets/{b.process.id}/suivi.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="suivi-budget-{b.process.id}.csv"'
    return response.get_data(as_text=True)


def upload(client, b: Budget, text: str):
    url = f"/budgets/{b.process.id}/suivi/import"
    return client.post(url, data={"file": (io.BytesIO(text.encode()), "suivi.csv"), **browser_fields(client, url)},
                       content_type="multipart/form-data")


def stored(b: Budget) -> list:
    return [line.row() for line in follow_up.lines(b.process)]


def test_the_csv_goes_out_and_comes_back_the_same(app, client, budget):
    decide(budget)
    set_follow_up(budget, 1, "in_progress", 50, committed=30_000, spent=10_000,
                  milestones=[(date(2027, 1, 15), "=Commande", True), (date(2027, 4, 1), "Pose", False)])
    set_follow_up(budget, 3, "abandoned", 5, reason="+ Terrain vendu ; voir la délibération.")
    login(client, budget.facilitator)
    before, written = stored(budget), export(client, budget)
    assert "'=Commande" not in written.split("\n")[1]  # the milestones cell starts with its date
    assert "'+ Terrain vendu" in written  # a reason that would run as a formula is neutralised
    response = upload(client, budget, written)
    assert response.status_code == 303
    assert stored(budget) == before and export(client, budget) == written
    # Edited in a spreadsheet, then sent back: the new values are kept, every project changed journaled.
    edited = written.replace("in_progress,50,30000,10000", "done,100,31000,31000")
    assert upload(client, budget, edited).status_code == 303
    follow = follow_of(budget, 1)
    assert (follow.status, follow.progress, follow.committed, follow.spent) == ("done", 100, 31_000, 31_000)
    assert [m.label for m in follow.milestones] == ["=Commande", "Pose"]
    assert journal_acts(client, budget.commune, "budget.follow_up.imported")[0].endswith(
        "1 projet changé.")


# The database is kept between examples on purpose: each example builds its own commune
# and budget, so earlier ones are only more rows beside it.
@given(rows())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_follow_up_read_back_is_stored_the_same(app, make, written):
    """The round trip through the database: what a file says is what is stored and exported."""
    b = build_budget(make, costs=[1_000] * 8, funded_numbers=range(1, 9))
    decide(b)
    renumbered = [follow_up_data.Row(**{**row.__dict__, "number": n, "title": f"Projet {n}"})
                  for n, row in enumerate(written, start=1)]
    with app.test_request_context():
        follow_up.import_rows(b.process, renumbered, b.facilitator)
        db.session.commit()
        after = [line.row() for line in follow_up.lines(b.process)][:len(renumbered)]
    assert after == renumbered


def test_milestones_in_any_order_are_read_by_date(app):
    cell = '"2027-05-01 [ ] Inauguration\n2027-01-10 [x] Commande\n2027-05-01 [ ] Fête"'
    with app.test_request_context():
        (row,) = follow_up_data.read(HEADER + f"1,Banc,in_progress,10,0,0,,{cell}\n")
    assert [m.label for m in row.milestones] == ["Commande", "Inauguration", "Fête"]


def test_a_malformed_csv_is_refused_whole_with_its_line(app, client, budget):
    decide(budget)
    login(client, budget.facilitator)
    written = export(client, budget)
    lines = written.splitlines()
    lines[1] = lines[1].replace("to_start,0,0,0", "in_progress,60,500,100")  # a good first line…
    lines[3] = lines[3].replace("to_start", "fini")  # … and a wrong third
    response = upload(client, budget, "\n".join(lines) + "\n")
    assert response.status_code == 422
    text = visible_text(response).replace("\u202f", " ")
    assert "Rien n'a été importé." in text and "Ligne 4 : État inconnu « fini »." in text
    assert follow_of(budget, 1) is None  # nothing half-written
    unknown = written + "4,Projet 4,done,100,0,0,,\n"  # project 4 is not funded
    response = upload(client, budget, unknown)
    assert response.status_code == 422 and "Le projet 4 n'est pas un projet financé de ce budget." in visible_text(
        response)
    assert upload(client, budget, "\xff\xfe").status_code == 422
    assert journal_acts(client, budget.commune, "budget.") == []
    client = client.application.test_client()
    login(client, budget.resident)
    assert upload(client, budget, written).status_code == 403
