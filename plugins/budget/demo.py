"""Examples for the French demo (hooks ``demo-switch-on`` and ``demo-commune-content``): in
the demo's commune, participatory budgeting switched on and two processes.

« Budget participatif 2026 » has gone all the way: projects submitted and studied (two not
feasible, with their reasons), a vote with the residents' online ballots and 250 paper
sheets typed from two polling places, closed, its result computed by the Method of Equal
Shares and published, the council's decision recorded by the demo's elected member (with
one departure and its reason), and the follow-up of the funded projects. « Budget
participatif 2027 » is in its vote, closing in two weeks, with a few online ballots.

Written through the plug-in's own services, as people would. The paper ballots are drawn
by a seeded ``random.Random``: the same demo every time, varied enough that equal shares
and greedy fund different projects (residents of the smaller neighbourhoods vote mostly
for their own). A ballot (``casting.cast``) and the close commit, as the result's
computation does, so this commits what the demo added before it."""

from __future__ import annotations

import random
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models.base import utcnow

from . import calendar, casting, decisions, follow_up, paper, processes, projects, results, status
from .models import VOTE, Result

TITLE_2026 = "Budget participatif 2026"
TITLE_2027 = "Budget participatif 2027"
AREAS = ["Centre-bourg", "Les Tanneries", "La Gare"]
CATEGORIES = ["Nature et cadre de vie", "Mobilités", "Solidarités", "Culture et sport", "Enfance et jeunesse"]
PLACES = ["Mairie — salle du conseil", "École des Tanneries"]
PAPER_SHEETS = (150, 100)  # per polling place

# (title, area, category, cost in €, author, description)
PROJECTS_2026 = [
    ("Un jardin partagé derrière la médiathèque", "Centre-bourg", "Nature et cadre de vie", 18_000, "amina.benali",
     "Douze parcelles, un composteur et un abri à outils, ouverts aux écoles le matin."),
    ("Des bancs et de l'ombre place du Marché", "Centre-bourg", "Nature et cadre de vie", 12_500, "rose.lambert",
     "Six bancs et quatre arbres d'alignement pour s'asseoir à l'ombre les jours de marché."),
    ("Une fontaine d'eau potable place du Marché", "Centre-bourg", "Nature et cadre de vie", 9_000, "rose.lambert",
     "Une fontaine raccordée au réseau, accessible aux personnes en fauteuil."),
    ("Une piste cyclable rue de la République", "Centre-bourg", "Mobilités", 45_000, "julien.fontaine",
     "Une voie séparée de 800 m entre la mairie et le collège."),
    ("Des arceaux vélos devant les commerces", "Centre-bourg", "Mobilités", 4_500, "samuel.faure",
     "Trente arceaux répartis devant la boulangerie, la pharmacie et la poste."),
    ("Une boîte à livres au kiosque", "Centre-bourg", "Culture et sport", 3_000, "helene.moreau",
     "Une boîte fermée, à l'abri de la pluie, entretenue par la médiathèque."),
    ("Un festival d'été sur le parvis de l'église", "Centre-bourg", "Culture et sport", 15_000, "marc.dubois",
     "Trois soirées de concerts gratuits en juillet, avec les associations de la commune."),
    ("Une épicerie solidaire dans l'ancienne poste", "Centre-bourg", "Solidarités", 38_000, "nadia.cherif",
     "Aménager le local vide pour une épicerie à prix adaptés, tenue par des bénévoles."),
    ("Des toilettes publiques accessibles", "Centre-bourg", "Solidarités", 28_000, "therese.vidal",
     "Des toilettes gratuites et accessibles près de l'arrêt de bus central."),
    ("Une aire de jeux inclusive au square Jean-Jaurès", "Centre-bourg", "Enfance et jeunesse", 42_000,
     "chloe.martin", "Des jeux utilisables par les enfants en situation de handicap, sol souple."),
    ("Un skatepark au parc de la Meuse", "Centre-bourg", "Enfance et jeunesse", 60_000, "quentin.blanc",
     "Une aire de glisse en béton de 400 m², dessinée avec les jeunes."),
    ("Un verger de variétés locales", "Les Tanneries", "Nature et cadre de vie", 11_000, "fatou.diallo",
     "Trente arbres fruitiers de variétés lorraines sur la friche, cueillette libre."),
    ("Désimperméabiliser la cour de l'école des Tanneries", "Les Tanneries", "Nature et cadre de vie", 35_000,
     "karim.haddad", "Remplacer l'enrobé par de la terre et des plantations pour rafraîchir la cour."),
    ("Des nichoirs et un hôtel à insectes", "Les Tanneries", "Nature et cadre de vie", 2_500, "lea.girard",
     "Fabriqués avec l'atelier bois du collège, installés le long du canal."),
    ("Éclairer le chemin du canal", "Les Tanneries", "Mobilités", 24_000, "daniel.rousseau",
     "Un éclairage sobre, à détection, sur les 600 m du chemin vers la gare."),
    ("Un atelier de réparation de vélos", "Les Tanneries", "Mobilités", 8_000, "samuel.faure",
     "Des outils et un local pour réparer soi-même son vélo, deux soirs par semaine."),
    ("Une salle de quartier rénovée", "Les Tanneries", "Solidarités", 40_000, "karim.haddad",
     "Isoler et équiper l'ancienne loge pour les réunions et l'aide aux devoirs."),
    ("Une laverie solidaire", "Les Tanneries", "Solidarités", 22_000, "nadia.cherif",
     "Quatre machines à laver à bas prix pour les foyers qui n'en ont pas."),
    ("Un terrain multisport aux Tanneries", "Les Tanneries", "Culture et sport", 48_000, "ines.laurent",
     "Un city-stade clos pour le foot, le basket et le hand, ouvert à toutes et tous."),
    ("Une fresque sur le mur de l'ancienne tannerie", "Les Tanneries", "Culture et sport", 7_000,
     "pauline.roux", "Peinte avec les habitantes et habitants, sur l'histoire du quartier."),
    ("Des jeux d'eau pour l'été", "Les Tanneries", "Enfance et jeunesse", 26_000, "elodie.garnier",
     "Des brumisateurs et jets au sol, en circuit fermé, pour les journées chaudes."),
    ("Un abri pour les vélos à la gare", "La Gare", "Mobilités", 16_000, "julien.fontaine",
     "Un abri couvert et fermé de 40 places, accès par badge gratuit."),
    ("Un passage piéton surélevé avenue de la Gare", "La Gare", "Mobilités", 9_500, "gerard.petit",
     "Ralentir les voitures devant l'entrée de la gare, où passent les écoliers."),
    ("Des toilettes sèches au jardin de la Gare", "La Gare", "Nature et cadre de vie", 6_000, "olivier.mercier",
     "Pour les jardiniers et les promeneurs du dimanche."),
    ("Planter une haie le long du parking de la gare", "La Gare", "Nature et cadre de vie", 8_500,
     "bernard.lefevre", "Trois cents mètres de haie champêtre pour les oiseaux et l'ombre."),
    ("Un local pour les associations de la Gare", "La Gare", "Solidarités", 30_000, "amina.benali",
     "Un préfabriqué équipé, prêté aux associations du quartier sur réservation."),
    ("Un panneau d'information lumineux", "La Gare", "Solidarités", 14_000, "marc.dubois",
     "Les horaires des trains et des bus et les informations de la commune."),
    ("Des cours de sport gratuits au parc", "La Gare", "Culture et sport", 5_000, "ines.laurent",
     "Des séances encadrées le samedi matin, d'avril à octobre."),
    ("Une ludothèque itinérante", "La Gare", "Enfance et jeunesse", 10_000, "chloe.martin",
     "Une remorque de jeux qui passe dans les quartiers le mercredi après-midi."),
    ("Une table de pique-nique au bord de la Meuse", "La Gare", "Nature et cadre de vie", 2_000,
     "pauline.roux", "Deux tables en bois local, près du ponton."),
]
# Number (1-based) → the public reason the study found it not feasible.
NOT_FEASIBLE_2026 = {
    11: "Le terrain du parc de la Meuse est inondable : le plan de prévention des risques interdit d'y couler "
        "une dalle de béton.",
    27: "Les informations des trains relèvent de la SNCF, qui n'autorise pas un affichage de la commune en gare.",
}
# Revised costs found by the study (number → euros).
REVISED_2026 = {4: 48_000, 17: 36_000}

PROJECTS_2027 = [
    ("Des récupérateurs d'eau de pluie pour les jardins", "Les Tanneries", "Nature et cadre de vie", 7_000,
     "fatou.diallo", "Dix cuves de 1 000 litres raccordées aux gouttières des bâtiments communaux."),
    ("Une navette le jour du marché", "Centre-bourg", "Mobilités", 18_000, "therese.vidal",
     "Un minibus depuis les Hauts-de-Meuse chaque samedi matin."),
    ("Une cabane à lire au jardin de la Gare", "La Gare", "Culture et sport", 6_500, "helene.moreau",
     "Une cabane en bois avec des livres pour tous les âges."),
    ("Des cours de cuisine à la salle des fêtes", "Centre-bourg", "Solidarités", 9_000, "nadia.cherif",
     "Cuisiner les légumes du jardin partagé, une fois par mois, gratuitement."),
    ("Un parcours de santé le long du canal", "Les Tanneries", "Culture et sport", 21_000, "quentin.blanc",
     "Dix agrès et un balisage sur 2 km."),
    ("Des bacs à compost dans chaque quartier", "La Gare", "Nature et cadre de vie", 5_500, "bernard.lefevre",
     "Trois bacs collectifs suivis par des guides composteurs bénévoles."),
    ("Un préau pour la cour de l'école du Centre", "Centre-bourg", "Enfance et jeunesse", 32_000, "elodie.garnier",
     "Pour jouer dehors les jours de pluie et à l'ombre l'été."),
    ("Des stationnements pour vélos cargos", "La Gare", "Mobilités", 4_000, "samuel.faure",
     "Six places larges devant la gare et la médiathèque."),
]

# How many voters of each area (paper and online together): the centre is the largest.
AREA_WEIGHTS = (0.5, 0.3, 0.2)
# The few residents who vote online in 2027 (the others have not yet).
ONLINE_2027 = ["amina.benali", "bernard.lefevre", "chloe.martin", "fatou.diallo", "karim.haddad"]


def switch_on() -> list[str]:
    return ["budget"]


def _values(title: str, description: str, envelope: int, dates: dict) -> processes.Values:
    return processes.Values(title=title, description=description, envelope=envelope, max_choices=5,
                            areas=[(name, None) for name in AREAS], categories=list(CATEGORIES), dates=dates)


def _dates(now, days: dict[str, tuple[int, int]]) -> dict[str, calendar.Dates]:
    return {name: calendar.Dates(now + timedelta(days=start), now + timedelta(days=end))
            for name, (start, end) in days.items()}


def _submit(process, data, users, when) -> list:
    areas = {a.name: a.id for a in process.areas}
    categories = {c.name: c.id for c in process.categories}
    made = []
    for title, area, category, cost, author, text in data:
        fields = projects.Fields(title=title, description=text, cost=cost, area_id=areas[area],
                                 category_id=categories[category])
        made.append(projects.submit(process, users[author], fields, now=when))
    return made


def _ballot(rng: random.Random, by_area: list[list[int]], popularity: dict[int, float]) -> list[int]:
    """A voter of one area: mostly the projects of her own area, the popular ones first."""
    home = rng.choices(range(len(by_area)), weights=AREA_WEIGHTS)[0]
    chosen: set[int] = set()
    for _n in range(rng.randint(2, 5)):
        pool = by_area[home] if rng.random() < 0.8 else [n for area in by_area for n in area]
        pool = [n for n in pool if n not in chosen]
        if pool:
            chosen.add(rng.choices(pool, weights=[popularity[n] for n in pool])[0])
    return sorted(chosen)


def _finished(commune, users, facilitator, elected) -> tuple:
    now = utcnow()
    process = processes.create(commune.space, facilitator, _values(
        TITLE_2026, "Les habitantes et habitants proposent et choisissent les projets financés par "
                    "**150 000 €** du budget d'investissement de la commune.", 150_000,
        _dates(now, {"submission": (-200, -150), "review": (-150, -100), "vote": (-60, 1)})))
    made = _submit(process, PROJECTS_2026, users, now - timedelta(days=170))
    for project in made:
        reason = NOT_FEASIBLE_2026.get(project.number)
        projects.review(project, reason is None, reason or "", REVISED_2026.get(project.number), facilitator,
                        now=now - timedelta(days=120))
    db.session.commit()
    # The worker's entry point: the vote is open by its dates, its rules freeze.
    status.advance(process.id)
    rng = random.Random(2026)
    numbers = [p.number for p in made if p.number not in NOT_FEASIBLE_2026]
    by_area = [[p.number for p in made if p.area.name == area and p.number in numbers] for area in AREAS]
    popularity = {n: rng.uniform(0.5, 3.0) for n in numbers}
    rules = casting.rules_of(process)
    residents = [local for local in users if "." in local and local.split(".")[1] not in
                 ("facilitatrice", "garant", "elue")]
    for local in residents:
        casting.cast(process, dict.fromkeys(_ballot(rng, by_area, popularity), 1), user_id=users[local].id,
                     rules=rules)
    for place, count in zip(PLACES, PAPER_SHEETS):
        for sheet in range(1, count + 1):
            paper.add(process, place, sheet, ".".join(map(str, _ballot(rng, by_area, popularity))),
                      entered_by=facilitator, rules=rules)
    status.close_now(process)
    db.session.commit()
    status.close_announced(process, "open", closed_by=facilitator)
    results.request(process)
    db.session.commit()
    # The worker computes it (at once in immediate mode); without one, the demo does.
    results.compute_result(process.id)
    process = db.session.get(type(process), process.id)
    result = results.publish(process, facilitator)
    funded = {int(i) for i in result.funded}
    added = next(p for p in made if p.number in numbers and p.id not in funded)
    decisions.record(process, elected, number="DCM-2026-047", decided_on=date.today(),
                     text="Le conseil municipal adopte le résultat du vote du budget participatif 2026 et "
                          "inscrit les projets financés au budget d'investissement.",
                     document=None, departures={added.id: (
                         "Le conseil finance aussi ce projet sur la ligne d'entretien des espaces publics : "
                         "il complète des travaux déjà prévus.")})
    db.session.flush()
    _follow(process, facilitator)
    return process, len(residents), sum(PAPER_SHEETS)


def _follow(process, user) -> None:
    lines = follow_up.lines(process)
    today = date.today()
    done, *going = lines[:4]
    follow_up.update(process, done, user, status="done", progress=100, reason="",
                     committed=done.project.vote_cost, spent=done.project.vote_cost)
    follow_up.add_milestone(process, done, user, today - timedelta(days=20), "Installation")
    for line, progress in zip(going, (60, 35, 10)):
        cost = line.project.vote_cost
        follow_up.update(process, line, user, status="in_progress", progress=progress, reason="",
                         committed=cost, spent=cost * progress // 100)
        follow_up.add_milestone(process, line, user, today - timedelta(days=10), "Commande passée")
        follow_up.add_milestone(process, line, user, today + timedelta(days=60), "Travaux terminés")
    db.session.flush()
    for line in going:
        first = min(line.follow_up.milestones, key=lambda m: m.on)
        follow_up.set_milestone_done(process, line, user, first.id, True)


def _open(commune, users, facilitator) -> tuple:
    now = utcnow()
    process = processes.create(commune.space, facilitator, _values(
        TITLE_2027, "Deuxième édition : **100 000 €** pour les projets des quartiers.", 100_000,
        _dates(now, {"submission": (-60, -30), "review": (-30, -3), "vote": (-2, 14)})))
    made = _submit(process, PROJECTS_2027, users, now - timedelta(days=45))
    for project in made:
        projects.review(project, True, "", None, facilitator, now=now - timedelta(days=10))
    db.session.commit()
    status.advance(process.id)
    rules = casting.rules_of(process)
    rng = random.Random(2027)
    for local in ONLINE_2027:
        chosen = rng.sample([p.number for p in made], rng.randint(2, 4))
        casting.cast(process, dict.fromkeys(sorted(chosen), 1), user_id=users[local].id, rules=rules)
    return process, len(made)


def load(commune, users) -> list[str]:
    facilitator, elected = users["camille.facilitatrice"], users["sophie.elue"]
    finished, online, on_paper = _finished(commune, users, facilitator, elected)
    result = db.session.get(Result, finished.id)
    opened, count = _open(commune, users, facilitator)
    closes = opened.phase(VOTE).ends_at
    return [_("Participatory budgets: « %(finished)s » finished (%(online)d online ballots, %(paper)d on paper, "
              "%(funded)d projects funded, decision and follow-up), « %(open)s » voting until %(closes)s "
              "(%(count)d projects).", finished=finished.title, online=online, paper=on_paper,
              funded=len(result.funded), open=opened.title, closes=format_date(closes, "long"), count=count)]
