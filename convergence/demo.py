"""The French demo: a commune with neighbourhoods, two circles, ~20 residents and an
assembly whose agenda follows the first Commune des Communes day (Commercy, 2020)."""

from __future__ import annotations

from flask_babel import gettext as _

from datetime import date, datetime, time, timedelta

from flask_babel import to_utc

from . import hooks
from .extensions import db
from .features import active_plugin_names, switch
from .models import AgendaItem, Assembly, Circle, CircleMembershipEvent, Commune, Membership, Neighbourhood, User

SLUG = "belleville-sur-meuse"
DOMAIN = "demo.convergence.fr"

RESIDENTS = [
    "Amina Benali", "Bernard Lefèvre", "Chloé Martin", "Daniel Rousseau", "Élodie Garnier",
    "Fatou Diallo", "Gérard Petit", "Hélène Moreau", "Inès Laurent", "Julien Fontaine",
    "Karim Haddad", "Léa Girard", "Marc Dubois", "Nadia Cherif", "Olivier Mercier",
    "Pauline Roux", "Quentin Blanc", "Rose Lambert", "Samuel Faure", "Thérèse Vidal",
]
STAFF = [
    ("camille.facilitatrice", "Camille Durand", "facilitator"),
    ("yves.garant", "Yves Morel", "guarantor"),
    ("sophie.elue", "Sophie Bertrand", "elected"),
    ("admin", "Alex Admin", "admin"),
]
NEIGHBOURHOODS = ["Centre-bourg", "Les Tanneries", "La Gare", "Faubourg Saint-Nicolas", "Les Hauts-de-Meuse"]

# (start, minutes, kind, title, description) — the Saturday of the Commercy guide.
AGENDA = [
    (time(9, 0), 60, "accueil", "Accueil café des participants", "Inscription des délégations, prix libre."),
    (time(10, 0), 120, "pleniere", "Ouverture des rencontres et tour des initiatives",
     "Chaque initiative communale se présente en 5 minutes : revendications locales, dynamique du collectif, "
     "articulation avec les luttes."),
    (time(12, 0), 90, "repas", "Repas et discussions informelles", ""),
    (time(13, 30), 120, "pleniere", "Plénière sur les bases politiques",
     "À quelles conditions la démarche communaliste peut-elle être une perspective de transformation sociale ?"),
    (time(15, 30), 30, "pause", "Pause", ""),
    (time(16, 0), 90, "atelier", "Ateliers outils et expériences",
     "Outils de la démocratie directe, relier les initiatives, lieux communs, autonomie matérielle."),
    (time(17, 30), 30, "restitution", "Restitution des ateliers en plénière", ""),
]


def _email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def _local(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return plain.replace(" ", ".")


def load(password: str) -> list[str]:
    if db.session.scalar(db.select(Commune.id).where(Commune.slug == SLUG)) is not None:
        return [_("Demo already loaded (commune %(slug)s); the accounts keep the password given at the first load.", slug=SLUG)]
    commune = Commune(
        slug=SLUG, name="Belleville-sur-Meuse", kind="commune", latitude=48.76, longitude=5.59,
        description=(
            "Commune de démonstration. Habitantes, habitants, collectifs et élu·es s'y organisent "
            "pour répondre ensemble aux besoins fondamentaux : **alimentation**, **logement**, **eau**."
        ),
    )
    commune.neighbourhoods = [Neighbourhood(name=n) for n in NEIGHBOURHOODS]
    db.session.add(commune)
    db.session.flush()

    accounts: list[tuple[str, str, str]] = []
    users: dict[str, User] = {}
    for local, name, role in STAFF:
        users[local] = _user(_email(local), name, password, is_admin=(role == "admin"))
        accounts.append((_email(local), name, role))
    for name in RESIDENTS:
        local = _local(name)
        users[local] = _user(_email(local), name, password)
        accounts.append((_email(local), name, "resident"))
    db.session.flush()

    for local, _name, role in STAFF:
        db.session.add(Membership(user_id=users[local].id, space_id=commune.space_id, role=role))
    for name in RESIDENTS:
        db.session.add(Membership(user_id=users[_local(name)].id, space_id=commune.space_id, role="resident"))

    alimentation = Circle(
        commune_id=commune.id, name="Alimentation",
        purpose="Que chacun·e mange bien, local et à prix juste : cantines, jardins partagés, groupements d'achat.",
        decision_perimeter="Décide seul de ses actions sous 2 000 € ; au-delà, propose à l'assemblée populaire.")
    logement = Circle(
        commune_id=commune.id, name="Logement",
        purpose="Un logement digne pour toutes et tous : recensement des logements vacants, soutien aux locataires.",
        decision_perimeter="Organise ses enquêtes et permanences ; toute demande à la mairie passe par l'assemblée.")
    db.session.add_all([alimentation, logement])
    db.session.flush()
    decided = date.today() - timedelta(days=30)
    circle_members = [
        (alimentation, "camille.facilitatrice", "facilitator"), (alimentation, "yves.garant", "guarantor"),
        (alimentation, _local("Amina Benali"), "co_lead"), (alimentation, _local("Chloé Martin"), "member"),
        (alimentation, _local("Fatou Diallo"), "member"),
        (logement, _local("Karim Haddad"), "co_lead"), (logement, _local("Hélène Moreau"), "facilitator"),
        (logement, _local("Léa Girard"), "member"), (logement, _local("Nadia Cherif"), "member"),
    ]
    for circle, local, role in circle_members:
        db.session.add(Membership(user_id=users[local].id, space_id=circle.space_id, role=role))
        db.session.add(CircleMembershipEvent(
            circle_id=circle.id, user_id=users[local].id, kind="join", role=role, decided_on=decided,
            decision="Entrée décidée par consentement en réunion de cercle, sans objection."))

    # Typed in local time (Europe/Paris by default), stored in UTC like every date.
    day = datetime.combine(date.today() + timedelta(days=14), time(9, 0))
    assembly = Assembly(
        commune_id=commune.id, title="Commune des Communes — rencontre de printemps",
        kind="commune_des_communes", starts_at=to_utc(day), ends_at=to_utc(day.replace(hour=19)),
        place="Salle des fêtes, Belleville-sur-Meuse", status="planned",
        description="Rencontre des communes libres et des initiatives municipalistes : "
                    "tour des initiatives, bases politiques, ateliers, restitution.")
    db.session.add(assembly)
    db.session.flush()
    for position, (start, minutes, kind, title, text) in enumerate(AGENDA):
        db.session.add(AgendaItem(assembly_id=assembly.id, position=position,
                                  starts_at=to_utc(datetime.combine(day.date(), start)), duration_minutes=minutes,
                                  kind=kind, title=title, description=text))
    db.session.flush()
    # Each plug-in switched on in the commune (needs on the map) or in the assembly (votes,
    # proposals) adds its own examples.
    # A plug-in off by default may ask to be switched on in the demo's commune first.
    wanted = set(hooks.collect("demo-switch-on"))
    if wanted:
        switch(commune, active_plugin_names(commune) | wanted)
        db.session.flush()
    added = hooks.collect("demo-commune-content", space=commune, commune=commune, users=users)
    added += hooks.collect("demo-content", assembly=assembly, users=users)
    db.session.commit()

    lines = [_("Demo loaded: commune « Belleville-sur-Meuse », circles Alimentation and Logement, "
               "assembly « %(title)s ».", title=assembly.title),
             _("Demo accounts (the same password for all: %(password)s):", password=password)]
    lines += [f"  {role:<12} {email}  ({name})" for email, name, role in accounts[:len(STAFF) + 3]]
    lines.append("  " + _("… and %(num)d more residents: firstname.lastname@%(domain)s",
                          num=len(RESIDENTS) - 3, domain=DOMAIN))
    return lines + added


def _user(email: str, name: str, password: str, is_admin: bool = False) -> User:
    user = User(email=email, display_name=name, locale="fr", is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    return user
