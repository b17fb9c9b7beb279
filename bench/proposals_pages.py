"""Server time of the proposals pages with 10,000 proposals and 200,000 comments in PostgreSQL.

    .venv/bin/python bench/proposals_pages.py [--database-url URL] [--runs 40] [--explain]

Creates (if missing) and fills ``convergence_proposals_bench`` on 127.0.0.1 (or
``$BENCH_DATABASE_URL``) with two data sets built by the same generator, each in its own
commune and assembly:

- big: 10,000 proposals (draft, discussion, submitted, adopted, rejected, withdrawn),
  1–5 versions each, authors and co-authors, status history, supports (``supports_count``
  equal to the support rows), amendments in every state, consent rounds with answers,
  and 200,000 threaded comments (``comments_count`` equal to the comment rows), of which
  one proposal has 500 and a planted « typical » one has 20;
- small: the same shapes over 60 proposals and 1,200 comments.

Each data set is loaded in one transaction with bulk ``INSERT … SELECT`` (unnest and
generate_series), then ANALYZEd; a data set already present is kept.

It then times, through the Flask test client (server time only: no network, no
browser), the list (page 1, a deep page, filtered by status, by circle, by title,
sorted by supports, by comments), a typical proposal page, the proposal page with the
most comments and the versions page, anonymous and as a logged-in participant, and prints
p50/p95, the median time spent in SQL and in Python (CPU time of the thread) and the SQL
queries per request on the small and the big data set (they must be equal). Target: p95 < 150 ms. With ``--explain`` it
prints EXPLAIN ANALYZE of the slowest statements of each page over the target.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/convergence_proposals_bench"
TARGET_MS = 150
PASSWORD = "bench-propositions"
CSRF_RE = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')

THEMES = ["jardin partagé", "cantine scolaire", "logements vacants", "eau potable", "pistes cyclables",
          "marché de producteurs", "école du quartier", "maison de santé", "énergie solaire", "bibliothèque",
          "transport à la demande", "atelier de réparation", "forêt communale", "compost collectif",
          "épicerie solidaire", "habitat participatif", "fontaines publiques", "cinéma de plein air",
          "récupération de l'eau de pluie", "maraîchage municipal", "crèche parentale", "tiers-lieu"]
VERBS = ["Créer", "Rénover", "Développer", "Financer", "Ouvrir", "Protéger", "Organiser", "Étendre"]
PARAGRAPHS = [
    "Nous proposons que la commune {verb} {theme} avec les habitants du quartier, en s'appuyant sur les "
    "besoins recensés lors des dernières assemblées et sur les ressources déjà disponibles.",
    "Le **budget** serait voté chaque année par l'assemblée populaire ; un cercle thématique en assure le "
    "suivi et rend compte de ses décisions au moins une fois par trimestre.",
    "Étapes prévues :\n\n- un diagnostic partagé avec les voisins ;\n- un chantier participatif ;\n"
    "- un bilan public après six mois.",
    "Les personnes concernées sont associées dès le départ : permanences le samedi matin, questionnaire "
    "papier et en ligne, visites sur place. Voir aussi [le compte rendu](https://example.org/cr).",
    "Cette proposition répond directement à plusieurs besoins signalés (alimentation, logement, lien "
    "social) et reste compatible avec les engagements pris par la commune des communes.",
    "Un point de vigilance : l'entretien dans la durée. Nous suggérons une convention avec les "
    "associations locales et une rotation des responsabilités entre volontaires.",
]
COMMENTS = [
    "Je soutiens l'idée, mais qui s'occupe de l'entretien pendant l'été ?",
    "Très bonne proposition. **Attention** toutefois au calendrier : les travaux tombent pendant la "
    "période des récoltes.",
    "Trois remarques :\n\n- le coût est sous-estimé ;\n- il manque un lieu de stockage ;\n"
    "- pourquoi ne pas associer l'école ?",
    "Nous avons fait quelque chose de semblable à Saint-Martin, voir "
    "[leur bilan](https://example.org/bilan). Ça a bien marché au bout d'un an.",
    "D'accord sur le fond. Je propose un amendement au deuxième paragraphe pour préciser qui décide.",
    "Merci pour le travail ! Pouvez-vous ajouter un budget prévisionnel *chiffré* avant le passage en "
    "assemblée ?",
    "Je ne suis pas convaincue : le quartier nord est encore oublié. Il faudrait au moins une "
    "permanence là-bas.",
    "Question pratique : les personnes sans voiture pourront-elles y accéder facilement ?",
]


@dataclass
class Scale:
    tag: str
    proposals: int
    comments: int
    users: int
    circles: int
    hot: list[int]       # comment counts of the most discussed proposals (the first is the maximum)
    typical_comments: int = 20

    @property
    def slug(self) -> str:
        return f"bench-propositions-{self.tag}"


BIG = Scale("grand", 10_000, 200_000, 300, 6, [500] + [480 - 15 * i for i in range(19)])
SMALL = Scale("petit", 60, 1_200, 40, 3, [60, 45])


def normalise(url: str) -> str:
    return "postgresql+psycopg://" + url[len("postgresql://"):] if url.startswith("postgresql://") else url


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    assert "@127.0.0.1" in base, "benchmarks only run against 127.0.0.1"
    engine = sa.create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


# -- data -----------------------------------------------------------------------------------

def plan(scale: Scale, rng: random.Random) -> dict:
    """Every per-proposal choice, made in Python (deterministic); SQL expands it in bulk."""
    n, nu = scale.proposals, scale.users
    statuses = rng.choices(["draft", "discussion", "submitted", "adopted", "rejected", "withdrawn"],
                           weights=[8, 42, 20, 17, 8, 5], k=n)
    typical, hottest = n // 2, n // 3
    hot = [hottest] + [i for i in range(7, n, max(n // len(scale.hot), 1)) if i not in (typical, hottest)]
    hot = hot[:len(scale.hot)]
    for i in [typical] + hot:
        statuses[i] = "submitted"
    p = {"status": statuses, "circle": [], "version": [], "creator": [], "title": [], "body": [],
         "supports": [], "comments": [0] * n, "submitted_to": [], "typical": typical, "hottest": hottest}
    for i in range(n):
        theme = rng.choice(THEMES)
        p["title"].append(f"{rng.choice(VERBS)} {theme} — proposition n°{i + 1}")
        paras = [PARAGRAPHS[0].format(verb=rng.choice(VERBS).lower(), theme=theme)] + rng.sample(
            PARAGRAPHS[1:], rng.randint(2, 5))
        p["body"].append("\n\n".join(paras))
        p["circle"].append(rng.randrange(scale.circles) if rng.random() < 0.7 else None)
        p["version"].append(1 if statuses[i] == "draft" and rng.random() < 0.6 else rng.randint(1, 5))
        p["creator"].append(rng.randrange(5, nu))
        p["submitted_to"].append(("circle" if p["circle"][i] is not None and rng.random() < 0.3 else "assembly")
                                 if statuses[i] in ("submitted", "adopted", "rejected") else None)
        p["supports"].append(0 if statuses[i] == "draft" else min(int(rng.random() ** 3 * 150), nu - 1))
    p["version"][typical] = p["version"][hottest] = 4
    # Comments: the planted ones, the rest spread over the other proposals past the draft stage.
    p["comments"][typical] = scale.typical_comments
    for i, count in zip(hot, scale.hot):
        p["comments"][i] = count
    others = [i for i in range(n) if statuses[i] != "draft" and i != typical and i not in hot]
    left = scale.comments - sum(p["comments"])
    mean = left / len(others)
    counts = [max(0, round(rng.gammavariate(2.0, mean / 2.0))) for _ in others]
    cap = min(scale.hot) - 1
    counts = [min(c, cap) for c in counts]
    while sum(counts) != left:
        k = rng.randrange(len(counts))
        if sum(counts) < left and counts[k] < cap:
            counts[k] += 1
        elif sum(counts) > left and counts[k] > 0:
            counts[k] -= 1
    for i, c in zip(others, counts):
        p["comments"][i] = c
    # Authors: the creator, sometimes co-authors, invitations and requests.
    authors = []
    for i in range(n):
        authors.append((i, p["creator"][i], "active"))
        extra = rng.choices([0, 1, 2, 3], weights=[55, 25, 12, 8])[0]
        for k in range(1, extra + 1):
            state = "active" if rng.random() < 0.8 else rng.choice(["invited", "requested"])
            authors.append((i, 5 + (p["creator"][i] - 5 + 7 * k) % (nu - 5), state))
    # Status history.
    paths = {"draft": ["draft"], "discussion": ["draft", "discussion"],
             "submitted": ["draft", "discussion", "submitted"],
             "adopted": ["draft", "discussion", "submitted", "adopted"],
             "rejected": ["draft", "discussion", "submitted", "rejected"],
             "withdrawn": ["draft", "discussion", "withdrawn"]}
    changes = []
    for i, status in enumerate(statuses):
        path = paths[status]
        for k, to in enumerate(path):
            by = p["creator"][i] if to in ("draft", "discussion", "withdrawn") else rng.randrange(0, 3)
            changes.append((i, path[k - 1] if k else None, to, by, k))
    # Amendments, on proposals past the draft stage.
    amendments = []
    for i, status in enumerate(statuses):
        if i in (typical, hottest):
            states = [("pending", False), ("rejected", True), ("accepted", False)]
        elif status == "draft" or rng.random() > 0.35:
            continue
        else:
            states = [(rng.choices(["pending", "accepted", "rejected", "withdrawn"], weights=[4, 3, 2, 1])[0],
                       rng.random() < 0.3) for _ in range(rng.randint(1, 4))]
            if status not in ("discussion", "submitted"):  # decided: nothing pending any more
                states = [("rejected" if s == "pending" else s, a) for s, a in states]
        for k, (state, to_assembly) in enumerate(states):
            amendments.append((i, k % 3 if rng.random() < 0.8 else None, state,
                               state == "rejected" and to_assembly, rng.randrange(5, nu)))
    # Consent rounds: closed ones on decided proposals, an open one on some submitted ones.
    rounds = []
    for i, status in enumerate(statuses):
        if i in (typical, hottest):
            shape = [("objections", 12), (None, 8)]
        elif status == "adopted" and rng.random() < 0.7:
            shape = [("objections", rng.randint(5, 25))] * rng.randint(0, 1) + [("adopted", rng.randint(5, 25))]
        elif status == "rejected" and rng.random() < 0.4:
            shape = [("objections", rng.randint(5, 25))]
        elif status == "submitted" and rng.random() < 0.4:
            shape = [("objections", rng.randint(5, 25))] * rng.randint(0, 1) + [(None, rng.randint(0, 20))]
        else:
            continue
        for k, (outcome, answers) in enumerate(shape):
            rounds.append((i, k + 1, outcome, answers, rng.random() < 0.3 and outcome is None))
    p.update(authors=authors, changes=changes, amendments=amendments, rounds=rounds)
    return p


def load(db, scale: Scale) -> None:
    """Create the commune, its assembly, circles, people with roles and everything else, in
    one transaction."""
    from werkzeug.security import generate_password_hash

    rng = random.Random(f"propositions-{scale.tag}")
    p = plan(scale, rng)
    x = db.session.execute

    def q(sql, **params):
        return x(sa.text(sql), params)

    # Through the models: each commune, assembly and circle gets its space as it is created.
    from convergence.models import Assembly, Circle, Commune

    commune_row = Commune(slug=scale.slug, name=f"Bench propositions ({scale.tag})", kind="commune")
    assembly_row = Assembly(commune=commune_row, title="Assemblée des propositions", kind="assemblee_populaire",
                            starts_at=datetime.now(timezone.utc).replace(tzinfo=None), status="open")
    circle_rows = [Circle(commune=commune_row, name=name)
                   for name in ["Alimentation", "Logement", "Eau", "Mobilités", "Énergie", "Culture"][:scale.circles]]
    db.session.add_all([commune_row, assembly_row, *circle_rows])
    db.session.flush()
    commune, assembly, circles = commune_row.id, assembly_row.id, [c.id for c in circle_rows]
    q("INSERT INTO space_settings (space_id, plugin_name, key, value) VALUES (:s, 'proposals', "
      "'support_threshold', '40')", s=assembly_row.space_id)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    users = list(q("INSERT INTO users (email, display_name, password_hash, locale, is_admin, created_at) "
                   "SELECT 'bench-' || :tag || '-' || g || '@example.org', 'Habitant·e ' || g, :h, 'fr', false, "
                   "now() FROM generate_series(1, :n) g ORDER BY g RETURNING id",
                   tag=scale.tag, h=hashed, n=scale.users).scalars())
    users.sort()
    roles = ["facilitator"] * 3 + ["guarantor", "elected"] + ["resident"] * (scale.users - 5)
    q("INSERT INTO memberships (user_id, space_id, role, created_at) "
      "SELECT u, :c, r, now() FROM unnest(CAST(:u AS int[]), CAST(:r AS text[])) AS t(u, r)",
      c=commune_row.space_id, u=users, r=roles)
    q("INSERT INTO memberships (user_id, space_id, role, created_at) "
      "SELECT (CAST(:u AS int[]))[1 + ((k * 7 + c * 3) % :nu)::int], c_id, "
      "CASE WHEN k = 0 THEN 'co_lead' ELSE 'member' END, now() "
      "FROM unnest(CAST(:circles AS int[])) WITH ORDINALITY AS c(c_id, c), generate_series(0, 14) k",
      u=users, nu=scale.users, circles=[c.space_id for c in circle_rows])

    n = scale.proposals
    ids = list(q(
        "INSERT INTO proposals_proposals (assembly_id, circle_id, title, body, status, submitted_to, version, "
        "supports_count, comments_count, created_by_id, created_at, updated_at) "
        "SELECT :a, c, t, b, s, st, v, 0, 0, u, "
        "  now() AT TIME ZONE 'utc' - (:n - o) * interval '95 minutes', "
        "  now() AT TIME ZONE 'utc' - (:n - o) * interval '95 minutes' + v * interval '1 day' "
        "FROM unnest(CAST(:c AS int[]), CAST(:t AS text[]), CAST(:b AS text[]), CAST(:s AS text[]), "
        "  CAST(:st AS text[]), CAST(:v AS int[]), CAST(:u AS int[])) WITH ORDINALITY AS t(c, t, b, s, st, v, u, o) "
        "ORDER BY o RETURNING id",
        a=assembly, n=n, c=[None if c is None else circles[c] for c in p["circle"]], t=p["title"], b=p["body"],
        s=p["status"], st=p["submitted_to"], v=p["version"], u=[users[i] for i in p["creator"]]).scalars())
    ids.sort()
    assert len(ids) == n
    # Versions 1..v: each later version adds a paragraph; the proposal holds the last one.
    q("INSERT INTO proposals_versions (proposal_id, number, title, body, note, author_id, created_at) "
      "SELECT p.id, k, p.title, p.body || CASE WHEN k = 1 THEN '' ELSE repeat(E'\\n\\nPrécision apportée en "
      "version ' || k || E' : le cercle consulte les habitants avant chaque étape.', 1) END, "
      "CASE WHEN k = 1 THEN '' ELSE 'Précisions après discussion' END, p.created_by_id, "
      "p.created_at + (k - 1) * interval '1 day' "
      "FROM proposals_proposals p CROSS JOIN LATERAL generate_series(1, p.version) k WHERE p.assembly_id = :a",
      a=assembly)
    q("UPDATE proposals_proposals p SET body = v.body FROM proposals_versions v "
      "WHERE v.proposal_id = p.id AND v.number = p.version AND p.assembly_id = :a", a=assembly)
    a_rows = p["authors"]
    q("INSERT INTO proposals_authors (proposal_id, user_id, state, created_at) "
      "SELECT DISTINCT ON (pid, uid) pid, uid, st, now() FROM unnest(CAST(:p AS int[]), CAST(:u AS int[]), "
      "CAST(:s AS text[])) AS t(pid, uid, st)",
      p=[ids[i] for i, _u, _s in a_rows], u=[users[u] for _i, u, _s in a_rows], s=[s for _i, _u, s in a_rows])
    ch = p["changes"]
    q("INSERT INTO proposals_status_changes (proposal_id, from_status, to_status, reason, by_id, at) "
      "SELECT pid, f, t, CASE WHEN t IN ('rejected', 'withdrawn') THEN 'Décision motivée en assemblée' "
      "ELSE '' END, by, pr.created_at + k * interval '3 days' "
      "FROM unnest(CAST(:p AS int[]), CAST(:f AS text[]), CAST(:t AS text[]), CAST(:b AS int[]), "
      "CAST(:k AS int[])) AS t(pid, f, t, by, k) JOIN proposals_proposals pr ON pr.id = pid",
      p=[ids[c[0]] for c in ch], f=[c[1] for c in ch], t=[c[2] for c in ch], b=[users[c[3]] for c in ch],
      k=[c[4] for c in ch])
    # Supports: n distinct people per proposal, then the counter from the rows.
    q("INSERT INTO proposals_supports (proposal_id, user_id, created_at) "
      "SELECT pid, (CAST(:u AS int[]))[1 + (pid * 37 + k) % :nu], now() "
      "FROM unnest(CAST(:p AS int[]), CAST(:c AS int[])) AS t(pid, c) CROSS JOIN LATERAL generate_series(1, c) k",
      u=users, nu=scale.users, p=ids, c=p["supports"])
    q("UPDATE proposals_proposals p SET supports_count = s.n FROM (SELECT proposal_id, count(*) n "
      "FROM proposals_supports GROUP BY proposal_id) s WHERE s.proposal_id = p.id AND p.assembly_id = :a",
      a=assembly)
    am = p["amendments"]
    q("INSERT INTO proposals_amendments (proposal_id, paragraph, base_version, original_text, new_text, "
      "explanation, state, reason, to_assembly, author_id, decided_by_id, decided_at, created_at) "
      "SELECT pid, para, 1, 'Le texte du paragraphe tel qu''il était.', "
      "'Le texte du paragraphe, précisé : le cercle rend compte chaque mois.', 'Pour plus de clarté.', st, "
      "CASE WHEN st = 'rejected' THEN 'Déjà couvert par le paragraphe suivant.' ELSE '' END, ta, a, "
      "CASE WHEN st = 'pending' THEN NULL ELSE pr.created_by_id END, "
      "CASE WHEN st = 'pending' THEN NULL ELSE pr.created_at + interval '2 days' END, "
      "pr.created_at + interval '1 day' "
      "FROM unnest(CAST(:p AS int[]), CAST(:para AS int[]), CAST(:s AS text[]), CAST(:ta AS bool[]), "
      "CAST(:au AS int[])) AS t(pid, para, st, ta, a) JOIN proposals_proposals pr ON pr.id = pid",
      p=[ids[r[0]] for r in am], para=[r[1] for r in am], s=[r[2] for r in am], ta=[r[3] for r in am],
      au=[users[r[4]] for r in am])
    ro = p["rounds"]
    q(
        "INSERT INTO proposals_consent_rounds (proposal_id, number, version, mode, deadline, opened_by_id, "
        "opened_at, closed_at, outcome) "
        "SELECT pid, num, pr.version, CASE WHEN asy THEN 'async' ELSE 'live' END, "
        "CASE WHEN asy THEN now() AT TIME ZONE 'utc' + interval '30 days' END, :by, "
        "pr.created_at + num * interval '5 days', "
        "CASE WHEN o IS NULL THEN NULL ELSE pr.created_at + num * interval '6 days' END, o "
        "FROM unnest(CAST(:p AS int[]), CAST(:num AS int[]), CAST(:o AS text[]), CAST(:asy AS bool[])) "
        "AS t(pid, num, o, asy) JOIN proposals_proposals pr ON pr.id = pid",
        by=users[0], p=[ids[r[0]] for r in ro], num=[r[1] for r in ro], o=[r[2] for r in ro],
        asy=[r[4] for r in ro])
    # Answers: mostly consent, some stand-asides, objections (with their reason) in rounds
    # that closed on objections or are still open.
    q("INSERT INTO proposals_consent_answers (round_id, user_id, answer, reason, resolved, resolution, "
      "created_at, updated_at) "
      "SELECT r.id, (CAST(:u AS int[]))[1 + (r.id * 11 + k) % :nu], "
      "CASE WHEN k % 6 = 0 AND r.outcome IS DISTINCT FROM 'adopted' THEN 'objection' "
      "     WHEN k % 5 = 0 THEN 'stand_aside' ELSE 'consent' END, "
      "CASE WHEN k % 6 = 0 AND r.outcome IS DISTINCT FROM 'adopted' "
      "     THEN 'Le financement n''est pas assuré au-delà de la première année.' ELSE '' END, "
      "false, '', r.opened_at + k * interval '1 minute', r.opened_at + k * interval '1 minute' "
      "FROM unnest(CAST(:p AS int[]), CAST(:num AS int[]), CAST(:n AS int[])) AS t(pid, num, n) "
      "JOIN proposals_consent_rounds r ON r.proposal_id = pid AND r.number = num "
      "CROSS JOIN LATERAL generate_series(1, n) k",
      u=users, nu=scale.users, p=[ids[r[0]] for r in ro], num=[r[1] for r in ro], n=[r[3] for r in ro])
    # Comments, in proposal order (ids contiguous within a proposal), then threads: two in
    # five answer one of the few comments before them in the same proposal.
    q("INSERT INTO proposals_comments (proposal_id, author_id, body, hidden, hidden_reason, reports_count, "
      "created_at) "
      "SELECT pid, (CAST(:u AS int[]))[1 + (pid * 13 + k * 7) % :nu], (CAST(:bodies AS text[]))[1 + (pid + k) % :nb], "
      "k % 97 = 0, CASE WHEN k % 97 = 0 THEN 'Propos insultants' ELSE '' END, "
      "CASE WHEN k % 53 = 0 THEN 1 ELSE 0 END, pr.created_at + k * interval '17 minutes' "
      "FROM unnest(CAST(:p AS int[]), CAST(:c AS int[])) AS t(pid, c) JOIN proposals_proposals pr ON pr.id = pid "
      "CROSS JOIN LATERAL generate_series(1, c) k ORDER BY pid, k",
      u=users, nu=scale.users, bodies=COMMENTS, nb=len(COMMENTS), p=ids, c=p["comments"])
    q("UPDATE proposals_comments c SET parent_id = s.parent FROM ("
      "  SELECT id, lag(id, 1 + (id % 4)::int) OVER (PARTITION BY proposal_id ORDER BY id) AS parent "
      "  FROM proposals_comments WHERE proposal_id = ANY(CAST(:p AS int[]))) s "
      "WHERE c.id = s.id AND s.parent IS NOT NULL AND c.id % 5 < 2", p=ids)
    q("UPDATE proposals_proposals p SET comments_count = s.n FROM (SELECT proposal_id, count(*) n "
      "FROM proposals_comments GROUP BY proposal_id) s WHERE s.proposal_id = p.id AND p.assembly_id = :a",
      a=assembly)
    db.session.commit()


def ensure_data(db, scale: Scale) -> dict:
    """Load the data set if missing, check it and return what the pages need."""
    x = lambda sql, **k: db.session.execute(sa.text(sql), k)  # noqa: E731
    commune = x("SELECT id FROM communes WHERE slug = :s", s=scale.slug).scalar()
    if commune is None:
        started = time.perf_counter()
        load(db, scale)
        # The loader's UPDATEs (counters, bodies, parent_id) leave dead rows behind: pack the
        # tables as a steadily vacuumed database would be, then refresh the statistics.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM (FULL, ANALYZE) proposals_proposals, proposals_comments"))
            connection.execute(sa.text("ANALYZE"))
        print(f"[{scale.tag}] loaded in {time.perf_counter() - started:.1f} s")
        commune = x("SELECT id FROM communes WHERE slug = :s", s=scale.slug).scalar()
    # The app renders a comment's Markdown once, when it is written (body_html): do the same
    # for the bulk-loaded rows (also those of a data set loaded before that column existed).
    from convergence.web.markdown import render_markdown

    filled = x("UPDATE proposals_comments SET body_html = (CAST(:html AS text[]))[array_position(CAST(:bodies AS "
               "text[]), body)] WHERE body_html IS NULL", html=[str(render_markdown(b)) for b in COMMENTS],
               bodies=COMMENTS).rowcount
    db.session.commit()
    if filled:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM (FULL, ANALYZE) proposals_comments"))
    assembly = x("SELECT id FROM assemblies WHERE commune_id = :c", c=commune).scalar()
    facts = x(
        "SELECT count(*), sum(comments_count), sum(supports_count), "
        "(SELECT count(*) FROM proposals_comments c JOIN proposals_proposals p ON p.id = c.proposal_id "
        " WHERE p.assembly_id = :a), "
        "(SELECT count(*) FROM proposals_supports s JOIN proposals_proposals p ON p.id = s.proposal_id "
        " WHERE p.assembly_id = :a) FROM proposals_proposals WHERE assembly_id = :a", a=assembly).one()
    assert facts[0] == scale.proposals and facts[3] == scale.comments, (scale.tag, facts)
    assert facts[1] == facts[3] and facts[2] == facts[4], ("counters out of step", facts)
    rng = random.Random(f"propositions-{scale.tag}")
    p = plan(scale, rng)
    def pid(index: int) -> int:
        return x("SELECT id FROM proposals_proposals WHERE assembly_id = :a ORDER BY id OFFSET :o LIMIT 1",
                 a=assembly, o=index).scalar()

    typical, hottest = pid(p["typical"]), pid(p["hottest"])
    most = x("SELECT id, comments_count FROM proposals_proposals WHERE assembly_id = :a "
             "ORDER BY comments_count DESC, id LIMIT 1", a=assembly).one()
    assert most[0] == hottest, (most, hottest)
    circle = x("SELECT circle_id FROM proposals_proposals WHERE assembly_id = :a AND circle_id IS NOT NULL "
               "GROUP BY circle_id ORDER BY count(*) DESC, circle_id LIMIT 1", a=assembly).scalar()
    visible = x("SELECT count(*) FROM proposals_proposals WHERE assembly_id = :a "
                "AND status NOT IN ('draft', 'withdrawn')", a=assembly).scalar()
    # The participant: a resident who neither wrote nor answered a consent round on the planted
    # proposals (an answer loads their account with the round, which saves the query loading
    # the logged-in person: the counts would differ for that reason only).
    participant = x("SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id "
                    "WHERE m.commune_id = :c AND m.role = 'resident' AND NOT EXISTS (SELECT 1 FROM "
                    "proposals_authors a WHERE a.user_id = u.id AND a.proposal_id IN (:t, :h)) "
                    "AND NOT EXISTS (SELECT 1 FROM proposals_consent_answers a JOIN proposals_consent_rounds r "
                    "ON r.id = a.round_id WHERE a.user_id = u.id AND r.proposal_id IN (:t, :h)) "
                    "ORDER BY u.id LIMIT 1", c=commune, t=typical, h=hottest).scalar()
    shape = {pid_: x("SELECT comments_count, (SELECT count(*) FROM proposals_amendments WHERE proposal_id = :p), "
                     "(SELECT count(*) FROM proposals_consent_rounds WHERE proposal_id = :p), version "
                     "FROM proposals_proposals WHERE id = :p", p=pid_).one() for pid_ in (typical, hottest)}
    return {"assembly": assembly, "typical": typical, "hottest": hottest, "circle": circle,
            "pages": -(-visible // 30), "participant": participant, "facts": facts, "shape": shape,
            "comments_max": most[1]}


# -- measuring ------------------------------------------------------------------------------

class SQLWatch:
    """Counts and times the statements sent to PostgreSQL while ``active``."""

    def __init__(self, engine):
        self.active = False
        self.statements: list[tuple[str, object, float]] = []
        self._started = 0.0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, _statement, _parameters, _context, _many):
        self._started = time.perf_counter()

    def _after(self, _conn, _cursor, statement, parameters, _context, _many):
        if self.active:
            self.statements.append((statement, parameters, (time.perf_counter() - self._started) * 1000))

    @contextmanager
    def watch(self):
        self.statements = []
        self.active = True
        try:
            yield self.statements
        finally:
            self.active = False


def login(client, email: str) -> None:
    page = client.get("/compte/connexion")
    match = CSRF_RE.search(page.data)
    assert match, "no CSRF token on the login page"
    token = (match.group(1) or match.group(2)).decode()
    response = client.post("/compte/connexion", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.data[:300]


def pages_of(d: dict, deep: int) -> dict[str, str]:
    base = f"/assemblees/{d['assembly']}/propositions"
    return {
        "list, page 1": base,
        f"list, page {deep}": f"{base}?page={deep}",
        "list, status=adopted": base + "?status=adopted",
        "list, circle": f"{base}?circle={d['circle']}",
        "list, title search": base + "?q=compost",
        "list, by supports": base + "?sort=supports",
        "list, by comments": base + "?sort=comments",
        "list, status+circle+supports": f"{base}?status=discussion&circle={d['circle']}&sort=supports&page=2",
        "proposal, typical": f"/propositions/{d['typical']}",
        "proposal, most comments": f"/propositions/{d['hottest']}",
        "versions": f"/propositions/{d['typical']}/versions",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slow statements")
    args = parser.parse_args()
    url = normalise(args.database_url)
    ensure_database(url)

    from flask_migrate import upgrade

    from convergence.app import create_app
    from convergence.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost", "SECRET_KEY": "bench",
                      "LIVE_BACKEND": "memory", "PLUGINS": ["mj", "needs", "proposals"]})
    with app.app_context():
        upgrade(revision="heads")
        data = {s.tag: ensure_data(db, s) for s in (SMALL, BIG)}
        watch = SQLWatch(db.engine)
    big, small = data[BIG.tag], data[SMALL.tag]
    deep = max(1, int(big["pages"] * 0.9))
    print(f"big: {big['facts'][0]} proposals, {big['facts'][3]} comments, {big['facts'][4]} supports, "
          f"{big['pages']} list pages; small: {small['facts'][0]} proposals, {small['facts'][3]} comments")
    for tag, d in data.items():
        for name, pid in (("typical", d["typical"]), ("most comments", d["hottest"])):
            c, a, r, v = d["shape"][pid]
            print(f"  [{tag}] proposal {name} #{pid}: {c} comments, {a} amendments, {r} consent rounds, "
                  f"{v} versions")

    clients = {}
    for tag, d in data.items():
        anonymous, member = app.test_client(), app.test_client()
        login(member, d["participant"])
        clients[tag] = {"anonymous": anonymous, "participant": member}

    def queries(client, url_):
        client.get(url_)  # warm-up (and per-process caches)
        with watch.watch() as seen:
            response = client.get(url_)
        assert response.status_code == 200, (url_, response.status_code)
        return len(seen)

    big_pages, small_pages = pages_of(big, deep), pages_of(small, 2)
    results = []
    for who in ("anonymous", "participant"):
        for (name, url_), small_url in zip(big_pages.items(), small_pages.values()):
            client = clients[BIG.tag][who]
            n_small = queries(clients[SMALL.tag][who], small_url)
            n_big = queries(client, url_)
            times, sql_ms, cpu_ms, slow = [], [], [], []
            for _ in range(args.runs):
                with watch.watch() as seen:
                    started, cpu = time.perf_counter(), time.thread_time()
                    response = client.get(url_)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu_ms.append((time.thread_time() - cpu) * 1000)
                assert response.status_code == 200, (url_, response.status_code)
                sql_ms.append(sum(s[2] for s in seen))
                slow = sorted(seen, key=lambda s: -s[2])[:3]
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            row = (who, name, statistics.median(times), p95, statistics.median(sql_ms), n_small, n_big,
                   len(response.data) // 1024, statistics.median(cpu_ms))
            results.append(row)
            print(f"{who:11} {name:30} p50 {row[2]:6.1f} ms  p95 {p95:6.1f} ms  sql {row[4]:5.1f} ms  "
                  f"cpu {row[8]:5.1f} ms  queries {n_small:2d}/{n_big:2d}  "
                  f"{'OK' if p95 < TARGET_MS else 'OVER'}  ({row[7]} KiB)  {url_}")
            if args.explain and (p95 >= TARGET_MS or row[4] > 30):
                with app.app_context():
                    with db.engine.connect() as connection:
                        for statement, parameters, ms in slow:
                            plan_ = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                                               parameters).scalars().all()
                            print(f"    --- {ms:.1f} ms: {' '.join(statement.split())[:300]}")
                            print("\n".join("      " + line for line in plan_))

    print()
    print("| who | page | p50 | p95 | SQL (median) | Python CPU (median) | queries small / big | size |")
    print("|---|---|---|---|---|---|---|---|")
    for who, name, p50, p95, sql_ms, n_small, n_big, kib, cpu in results:
        print(f"| {who} | {name} | {p50:.0f} ms | {p95:.0f} ms | {sql_ms:.1f} ms | {cpu:.0f} ms | "
              f"{n_small} / {n_big} | {kib} KiB |")
    worst = max(results, key=lambda r: r[3])
    same = all(r[5] == r[6] for r in results)
    print(f"\nSUMMARY pages={len(results)} runs={args.runs} worst_p95={worst[3]:.0f}ms ({worst[0]}, {worst[1]}) "
          f"over_target={sum(r[3] >= TARGET_MS for r in results)} queries_same_small_big={same} "
          f"target(p95<{TARGET_MS}ms)={'PASS' if worst[3] < TARGET_MS else 'FAIL'}")


if __name__ == "__main__":
    main()
