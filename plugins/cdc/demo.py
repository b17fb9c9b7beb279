"""Examples for the French demo (hook ``demo-content``): the demo's « Commune des
Communes » assembly gets its meeting — two days as in the Commercy guide, workshops in
parallel rooms, meals — with two delegations registered (a neighbouring commune's
popular assembly, a citizen list) and a resident's offer of lodging, matched.

Written through the plug-in's own services, as people would; the core commits."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc

from convergence.extensions import db
from convergence.models import Commune

from . import lodging, meetings, registration
from .registration import Registration

# (day, start, end, kind, title, room, places) — the guide's Saturday and Sunday.
PROGRAMME = [
    (0, time(9), time(10), "accueil", "Accueil café des participants", "Grande salle", None),
    (0, time(10), time(12), "pleniere", "Ouverture et tour des initiatives communales", "Grande salle", None),
    (0, time(12), time(13, 30), "repas", "Repas du samedi midi", "Cantine", None),
    (0, time(13, 30), time(15, 30), "pleniere", "Bases politiques du communalisme", "Grande salle", None),
    (0, time(16), time(17, 30), "atelier", "Outils de la démocratie directe", "Salle A", 40),
    (0, time(16), time(17, 30), "atelier", "Relier les initiatives communales", "Salle B", 30),
    (0, time(16), time(17, 30), "atelier", "Se doter de lieux communs", "Salle C", 25),
    (0, time(17, 30), time(18), "restitution", "Restitution des ateliers", "Grande salle", None),
    (0, time(19), time(20, 30), "repas", "Repas du samedi soir", "Cantine", None),
    (1, time(8, 30), time(9, 30), "repas", "Petit déjeuner du dimanche", "Cantine", None),
    (1, time(9, 30), time(11, 30), "atelier", "Autonomie matérielle des communes", "Salle A", 40),
    (1, time(9, 30), time(11, 30), "atelier", "Rédaction de la déclaration commune", "Salle B", 30),
    (1, time(11, 30), time(12, 30), "restitution", "Retour en plénière", "Grande salle", None),
    (1, time(12, 30), time(14), "repas", "Repas du dimanche midi", "Cantine", None),
]
INVITATION = (
    "Les habitantes et habitants de **Belleville-sur-Meuse** invitent les assemblées populaires, les listes "
    "citoyennes, les collectifs écologistes, les comités de quartier et toutes celles et ceux qui construisent "
    "des alternatives à une rencontre de deux jours.\n\n"
    "Venez en **délégation avec un mandat** de votre collectif. Repas à prix libre par la cantine autogérée ; "
    "hébergement chez l'habitant ou dans la salle (apportez vos duvets).")


def load(assembly, users) -> list[str]:
    if assembly.kind != "commune_des_communes" or meetings.meeting_of(assembly.id) is not None:
        return []
    day = to_user_timezone(assembly.starts_at).date()
    meeting = meetings.create(
        assembly, first_day=day, last_day=day + timedelta(days=1),
        deadline=to_utc(datetime.combine(day - timedelta(days=3), time(23, 59))), delegation_cap=40,
        people_cap=250, invitation=INVITATION, contact_email="communedescommunes@demo.convergence.fr",
        contact_phone="06 00 00 00 00",
        venue_details="Salle des fêtes, 2 rue de la Meuse ; navette depuis la gare à 9 h et 9 h 30.")
    for offset, start, end, kind, title, room, places in PROGRAMME:
        date_ = day + timedelta(days=offset)
        meetings.add_session(meeting, kind=kind, title=title, room=room, capacity=places,
                             starts_at=to_utc(datetime.combine(date_, start)),
                             ends_at=to_utc(datetime.combine(date_, end)))
    sessions = {s.title: s.id for s in meeting.sessions}
    neighbour = _neighbour_commune()
    friday, saturday = day - timedelta(days=1), day
    first, _place = registration.register(meeting, users["karim.haddad"], Registration(
        kind="collective", head_name="Karim Haddad", people_count=6, contact_email="karim.haddad@demo.convergence.fr",
        contact_phone="06 11 22 33 44", commune_id=neighbour.id, collective_name="Assemblée populaire de Vaucouleurs",
        home_town="Vaucouleurs", collective_form="Assemblée populaire ouverte, chaque premier dimanche du mois.",
        objectives="Reprendre la main sur l'eau et l'alimentation de la commune.",
        initiatives="Cantine solidaire, marché paysan, réunions publiques sur la régie de l'eau.",
        municipal_list=True, municipal_functioning="Liste tirée au sort parmi les volontaires, mandats révocables.",
        members=["Lucie Perrin", "Moussa Keita", "Anne Colin"], mandate_kind="semi_imperatif",
        mandate_text="Porter la proposition d'une régie publique de l'eau ; voter la déclaration si elle reprend "
                     "le principe de l'assemblée souveraine.",
        proposals="Un atelier sur les régies publiques de l'eau.", lodging_mode="host",
        nights={friday: 2, saturday: 6},
        meals={sessions["Repas du samedi midi"]: 6, sessions["Repas du samedi soir"]: 6,
               sessions["Repas du dimanche midi"]: 4},
        dietary_needs="Deux personnes végétariennes.",
        workshops={sessions["Outils de la démocratie directe"]: 3, sessions["Se doter de lieux communs"]: 3},
        by_train=True, arrival="Gare de Commercy, samedi 8 h 42", shuttle_people=4))
    registration.register(meeting, users["lea.girard"], Registration(
        kind="collective", head_name="Léa Girard", people_count=8, contact_email="lea.girard@demo.convergence.fr",
        collective_name="Liste citoyenne « Saint-Mihiel en commun »", home_town="Saint-Mihiel",
        collective_form="Liste citoyenne et participative née d'un collectif d'habitant·es.",
        objectives="Un conseil municipal qui applique les décisions de l'assemblée des habitant·es.",
        initiatives="Maison du peuple, ateliers de réparation.", municipal_list=True,
        municipal_functioning="Programme écrit en assemblée, élu·es mandaté·es.", members=["Paul Renard"],
        mandate_kind="imperatif", mandate_text="Voter pour une déclaration qui engage au partage des outils.",
        lodging_mode="hall", nights={saturday: 8}, meals={sessions["Repas du samedi soir"]: 8},
        workshops={sessions["Relier les initiatives communales"]: 8}))
    offer = lodging.offer(meeting, users["helene.moreau"], places=3, nights=[friday, saturday],
                          note="Trois lits, à dix minutes à pied.", contact_phone="06 55 44 33 22")
    lodging.match(offer, first, saturday, 3)
    db.session.flush()
    return [_("Commune des Communes: the meeting « %(title)s » over two days, %(n)d delegations registered "
              "and a lodging offer matched.", title=assembly.title, n=2)]


def _neighbour_commune() -> Commune:
    """A second commune of the platform, the one the first delegation comes from."""
    commune = db.session.scalar(db.select(Commune).where(Commune.slug == "vaucouleurs"))
    if commune is None:
        commune = Commune(slug="vaucouleurs", name="Vaucouleurs", kind="commune", latitude=48.60, longitude=5.67,
                          description="Commune voisine, dont l'assemblée populaire vient en délégation.")
        db.session.add(commune)
        db.session.flush()
    return commune
