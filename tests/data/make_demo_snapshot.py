"""Make the demo snapshot the upgrade test starts from (tests/core/test_demo_upgrade.py).

    .venv/bin/python tests/data/make_demo_snapshot.py

Run from a checkout of the commit named in ``tests/data/README.md``, not from a later one: the
snapshot is the demo *as that commit made it*, so that the test proves later migrations carry
it over. The script builds an empty SQLite database with that commit's migrations (``convergence
db-upgrade``), loads the French demo (``convergence load-demo``) and adds what the demo lacks
so every kind of content is there — needs with supports, comments and a status change, a closed
majority-judgment vote with online and paper ballots in the assembly and one in a circle —
through the plug-ins' own services, as people would. Then it writes:

- ``demo_snapshot.json``: the Alembic revisions of the database and every table's rows
  (dates as ISO text, bytes in base64), loaded by the test through SQLAlchemy Core into a
  database migrated to the same revisions, so it loads on SQLite and PostgreSQL alike;
- ``demo_pages.json``: every page of the demo, who looks at it (a demo account or nobody) and
  the texts it shows — need, proposal and vote titles, statuses, comment bodies, amendments'
  and consent answers' reasons, support counts, results — each checked here on the page as
  this commit renders it.
"""

from __future__ import annotations

import base64
import html
import json
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from convergence.testing.fixtures import login, visible_text  # noqa: E402

PASSWORD = "convergence-demo"
DOMAIN = "demo.convergence.fr"
SECRET_KEY = "tests"  # the test app's key (convergence.testing.make_test_app)


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def build(database: Path):
    from flask_migrate import upgrade

    from convergence import demo
    from convergence.app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": SECRET_KEY,
                      "SERVER_NAME": "localhost", "PUBLIC_URL": "http://localhost", "LIVE_BACKEND": "memory",
                      "PLUGINS": ["mj", "needs", "proposals"]})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        demo.load(PASSWORD)
        add_needs_and_votes()
    return app


def add_needs_and_votes() -> None:
    from convergence.extensions import db
    from convergence.models import Assembly, Circle, Commune, User
    from plugins.mj import api as mj
    from plugins.mj import ballots
    from plugins.needs import api as needs
    from plugins.needs.models import Need

    commune = db.session.scalar(db.select(Commune))
    assembly = db.session.scalar(db.select(Assembly))
    circles = {c.name: c for c in db.session.scalars(db.select(Circle))}
    users = {u.email.split("@")[0]: u for u in db.session.scalars(db.select(User))}
    needs.ensure_defaults(commune)
    categories, communities, neighbourhoods = needs.lists(commune)
    category = {c.code: c for c in categories}

    def need(local, title, description, code, where, *, supporters=(), status=None, reason=""):
        row = Need(commune_id=commune.id, author_id=users[local].id, show_author=True, status="reported",
                   category_id=category[code].id, title=title, description=description,
                   neighbourhood_id=next(n.id for n in neighbourhoods if n.name == where),
                   latitude=48.76, longitude=5.59)
        needs.record_reported([row], users[local])
        for supporter in supporters:
            needs.add_support(row, users[supporter])
        if status:
            assert needs.set_status(row, status, reason, users["camille.facilitatrice"]) is None
        return row

    cantine = need("chloe.martin", "Des repas chauds à la cantine du Faubourg",
                   "Les enfants du Faubourg mangent froid deux jours par semaine.", sorted(category)[0],
                   "Faubourg Saint-Nicolas", supporters=("amina.benali", "daniel.rousseau", "ines.laurent"),
                   status="recognised")
    need("karim.haddad", "Un abri pour les vélos à la gare", "Rien ne protège les vélos de la pluie.",
         sorted(category)[-1], "La Gare", supporters=("lea.girard",))
    assert needs.add_comment(cantine, users["fatou.diallo"], "La cuisine de l'école peut servir les deux sites.") is None
    assert needs.add_comment(cantine, users["gerard.petit"], "Je peux aider à livrer le mardi.") is None
    db.session.commit()

    vote = mj.create_vote(assembly, "Quel usage pour la friche des Tanneries ?",
                          ["Jardin partagé", "Aire de jeux", "Parking"], created_by=users["camille.facilitatrice"],
                          opens_at=None)
    mj.open_vote(vote)
    options = [o.id for o in vote.options]
    for local, grades in [("amina.benali", (6, 4, 0)), ("bernard.lefevre", (5, 5, 1)),
                          ("chloe.martin", (6, 3, 2)), ("daniel.rousseau", (4, 6, 0)),
                          ("elodie.garnier", (5, 2, 3))]:
        ballots.cast(vote, dict(zip(options, grades)), user_id=users[local].id)
    paper = {options[0]: [0, 0, 0, 1, 1, 1, 0], options[1]: [0, 1, 1, 1, 0, 0, 0], options[2]: [2, 1, 0, 0, 0, 0, 0]}
    mj.add_paper_batch(vote, paper, label="Urne de la salle des fêtes", entered_by=users["yves.garant"])
    mj.close_vote(vote)

    circle_vote = mj.create_vote(circles["Logement"], "Par quelle rue commencer le recensement ?",
                                 ["Rue de la Gare", "Rue des Tanneries"], created_by=users["helene.moreau"],
                                 opens_at=None)
    mj.open_vote(circle_vote)
    options = [o.id for o in circle_vote.options]
    for local, grades in [("karim.haddad", (5, 3)), ("lea.girard", (6, 2)), ("nadia.cherif", (2, 4))]:
        ballots.cast(circle_vote, dict(zip(options, grades)), user_id=users[local].id)
    mj.close_vote(circle_vote)
    db.session.commit()


# -- the dump ----------------------------------------------------------------------------

def jsonable(value):
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, (bytes, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, (dict, list)):
        return {"json": value}
    return value


def dump(database: Path) -> dict:
    engine = sa.create_engine(f"sqlite:///{database}")
    metadata = sa.MetaData()
    metadata.reflect(engine)
    tables = {}
    with engine.connect() as connection:
        revisions = sorted(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
        for table in metadata.tables.values():
            if table.name == "alembic_version":
                continue
            key = [c for c in table.primary_key.columns] or list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*key)).all()
            if rows:
                tables[table.name] = {"columns": [c.name for c in table.columns],
                                      "rows": [[jsonable(v) for v in row] for row in rows]}
        order = insertion_order(metadata, tables)
    engine.dispose()
    return {"revisions": revisions, "tables": {name: tables[name] for name in order}}


def insertion_order(metadata, tables: dict) -> list[str]:
    """Tables in an order their rows can be inserted in with foreign keys enforced: a table
    after those its filled foreign keys point to (assemblies and agenda items point to each
    other, but the demo's assembly has no current item, so only one way counts)."""
    needs = {}
    for name, data in tables.items():
        needs[name] = set()
        for key in metadata.tables[name].foreign_keys:
            column = data["columns"].index(key.parent.name)
            target = key.column.table.name
            if target != name and target in tables and any(row[column] is not None for row in data["rows"]):
                needs[name].add(target)
    order = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if not wanted - set(order))
        if not ready:
            raise SystemExit(f"foreign keys in a cycle among {sorted(needs)}")
        order += ready
        for name in ready:
            del needs[name]
    return order


# -- the pages and what they show ---------------------------------------------------------

def pages(database: Path) -> list[dict]:
    """(url, who, texts) of every demo page, from the rows themselves."""
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        def rows(sql):
            return connection.execute(sa.text(sql)).mappings().all()

        slug = rows("SELECT slug FROM communes")[0]["slug"]
        commune_name = rows("SELECT name FROM communes")[0]["name"]
        assembly = rows("SELECT id, title FROM assemblies")[0]
        circles = rows("SELECT id, name FROM circles ORDER BY id")
        agenda = [r["title"] for r in rows("SELECT title FROM agenda_items ORDER BY position")]
        proposals = rows("SELECT p.id, p.title, p.status, p.circle_id, u.email FROM proposals_proposals p "
                         "JOIN proposals_authors a ON a.proposal_id = p.id JOIN users u ON u.id = a.user_id "
                         "WHERE a.state = 'active' GROUP BY p.id ORDER BY p.id")
        supports = {r["proposal_id"]: r["n"] for r in rows(
            "SELECT proposal_id, count(*) AS n FROM proposals_supports GROUP BY proposal_id")}
        comments = rows("SELECT proposal_id, body FROM proposals_comments ORDER BY id")
        amendments = rows("SELECT proposal_id, explanation FROM proposals_amendments ORDER BY id")
        answers = rows("SELECT r.proposal_id, a.reason FROM proposals_consent_answers a "
                       "JOIN proposals_consent_rounds r ON r.id = a.round_id WHERE a.reason != '' ORDER BY a.id")
        needs = rows("SELECT id, title, status, supports_count FROM needs_needs ORDER BY id")
        need_comments = rows("SELECT need_id, body FROM needs_comments ORDER BY id")
        votes = rows("SELECT id, question, assembly_id, circle_id FROM mj_votes ORDER BY id")
        options = rows("SELECT vote_id, label FROM mj_options ORDER BY vote_id, position")
        members = rows("SELECT m.circle_id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id "
                       "WHERE m.circle_id IS NOT NULL ORDER BY m.id")
    engine.dispose()

    out = [
        {"url": "/communes/", "who": None, "texts": [commune_name]},
        {"url": f"/communes/{slug}", "who": None, "texts": [commune_name] + [c["name"] for c in circles]
         + [assembly["title"]]},
        {"url": f"/assemblees/{assembly['id']}", "who": None, "texts": [assembly["title"]] + agenda},
        {"url": f"/assemblees/{assembly['id']}/propositions", "who": None,
         "texts": [p["title"] for p in proposals if p["status"] != "draft"]},
        {"url": f"/communes/{slug}/besoins", "who": None, "texts": [n["title"] for n in needs]},
        {"url": f"/assemblees/{assembly['id']}/votes", "who": None,
         "texts": [v["question"] for v in votes if v["assembly_id"]]},
    ]
    for circle in circles:
        out.append({"url": f"/cercles/{circle['id']}", "who": None,
                    "texts": [circle["name"]] + [m["display_name"] for m in members if m["circle_id"] == circle["id"]]})
        circle_votes = [v["question"] for v in votes if v["circle_id"] == circle["id"]]
        if circle_votes:
            out.append({"url": f"/cercles/{circle['id']}/votes", "who": None, "texts": circle_votes})
    for p in proposals:
        texts = [p["title"], STATUS_LABELS["proposals"][p["status"]]]
        texts += [c["body"] for c in comments if c["proposal_id"] == p["id"]]
        texts += [a["explanation"] for a in amendments if a["proposal_id"] == p["id"]]
        texts += [a["reason"] for a in answers if a["proposal_id"] == p["id"]]
        if supports.get(p["id"]):
            texts.append(SUPPORTS["proposals"](supports[p["id"]]))
        # A draft is seen by its authors only.
        out.append({"url": f"/propositions/{p['id']}", "who": p["email"] if p["status"] == "draft" else None,
                    "texts": texts})
    for n in needs:
        texts = [n["title"], STATUS_LABELS["needs"][n["status"]], SUPPORTS["needs"](n["supports_count"])]
        texts += [c["body"] for c in need_comments if c["need_id"] == n["id"]]
        out.append({"url": f"/communes/{slug}/besoins/{n['id']}", "who": None, "texts": texts})
    for v in votes:
        labels = [o["label"] for o in options if o["vote_id"] == v["id"]]
        out.append({"url": f"/votes/{v['id']}", "who": None, "texts": [v["question"]] + labels})
        out.append({"url": f"/votes/{v['id']}/resultats", "who": None,
                    "texts": [v["question"]] + RANKINGS[v["id"]]})
    return out


def wording(app) -> None:
    """How this commit words statuses, support counts and results in French, from its own
    catalogue and result engine (the pages are checked against them below)."""
    from flask_babel import force_locale, ngettext

    from convergence.extensions import db
    from plugins.mj import api as mj
    from plugins.mj.models import Vote
    from plugins.needs.api import STATUS_LABELS as NEEDS
    from plugins.proposals.drafting import STATUS_LABELS as PROPOSALS

    with app.app_context(), app.test_request_context(), force_locale("fr"):
        STATUS_LABELS["proposals"] = {k: str(v) for k, v in PROPOSALS.items()}
        STATUS_LABELS["needs"] = {k: str(v) for k, v in NEEDS.items()}
        supports = {n: ngettext("%(num)d support", "%(num)d supports", n) for n in range(50)}
        SUPPORTS["proposals"] = SUPPORTS["needs"] = supports.__getitem__
        for vote in db.session.scalars(db.select(Vote)):
            results = mj.results_for(vote).as_dict()
            RANKINGS[vote.id] = [f"{results['participants']} bulletins au total ({results['online_ballots']} en ligne, "
                                 f"{results['paper_ballots']} sur papier)."] + [
                f"{r['rank']}. {r['option']} — mention majoritaire : {r['majority_grade_label']}"
                for r in results["ranking"]]


STATUS_LABELS: dict[str, dict[str, str]] = {}
SUPPORTS: dict = {}
RANKINGS: dict[int, list[str]] = {}


def check(app, expected: list[dict]) -> list[str]:
    """Every expected text on its page, as this commit renders it; the problems found."""
    from convergence.extensions import db
    from convergence.models import User

    problems = []
    for page in expected:
        client = app.test_client()
        with app.app_context():
            if page["who"]:
                login(client, db.session.scalar(db.select(User).where(User.email == page["who"])), PASSWORD)
            response = client.get(page["url"])
        text = visible_text(response)
        if response.status_code != 200:
            problems.append(f"{page['url']}: {response.status_code}")
        for wanted in page["texts"]:
            if wanted not in text:
                problems.append(f"{page['url']}: « {wanted} » not shown")
    return problems


def one_row_a_line(snapshot: dict) -> str:
    """The snapshot as JSON with one table row a line, so a diff of it reads."""
    def line(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{", f' "origin": {line(snapshot["origin"])},', f' "revisions": {line(snapshot["revisions"])},',
           ' "tables": {']
    names = list(snapshot["tables"])
    for name in names:
        table = snapshot["tables"][name]
        out.append(f'  {line(name)}: {{"columns": {line(table["columns"])}, "rows": [')
        out += [f"   {line(row)}," for row in table["rows"][:-1]] + [f"   {line(table['rows'][-1])}"]
        out.append("  ]}" + ("," if name != names[-1] else ""))
    return "\n".join(out + [" }", "}"]) + "\n"


def main() -> None:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite"
        app = build(database)
        if "--show" in sys.argv:
            client = app.test_client()
            for url in sys.argv[sys.argv.index("--show") + 1:]:
                print(url, "→", visible_text(client.get(url)))
            return
        snapshot = dump(database)
        wording(app)
        expected = pages(database)
        problems = check(app, expected)
        if problems:
            raise SystemExit("\n".join(problems))
    snapshot = {"origin": {"commit": commit, "made_by": "tests/data/make_demo_snapshot.py"}, **snapshot}
    (HERE / "demo_snapshot.json").write_text(one_row_a_line(snapshot))
    (HERE / "demo_pages.json").write_text(json.dumps(
        {"origin": {"commit": commit}, "password": PASSWORD, "pages": expected}, ensure_ascii=False, indent=1) + "\n")
    print(f"{sum(len(t['rows']) for t in snapshot['tables'].values())} rows in {len(snapshot['tables'])} tables, "
          f"{len(expected)} pages, {sum(len(p['texts']) for p in expected)} texts checked")


if __name__ == "__main__":
    main()
