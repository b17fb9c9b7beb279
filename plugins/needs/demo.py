"""Examples for the French demo: needs on the commune's map, in its neighbourhoods, with
supports, comments and a status change — written through the plug-in's and the core's
services, as people would (hook ``demo-commune-content``)."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models import Neighbourhood
from convergence.participation import comments, history, supports

from . import lists, reporting
from .models import Category, Need

# (title, category, neighbourhood, latitude, longitude, urgency, author, description)
NEEDS = [
    ("Des repas chauds à la cantine du Faubourg", "alimentation", "Faubourg Saint-Nicolas", 48.7585, 5.5968, "high",
     "fatou.diallo", "Les enfants du Faubourg mangent froid deux jours par semaine : la cuisine est fermée."),
    ("Un abri pour les vélos à la gare", "mobilite", "La Gare", 48.7632, 5.5841, "medium", "julien.fontaine",
     "Les vélos restent sous la pluie toute la journée ; un abri couvert et fermé en ferait venir d'autres."),
    ("Logements vides rue des Tanneries", "logement", "Les Tanneries", 48.7571, 5.5887, "high", "karim.haddad",
     "Au moins six logements fermés depuis des années, pendant que des familles attendent un logement social."),
    ("Une fontaine d'eau potable place du Marché", "eau", "Centre-bourg", 48.7603, 5.5902, "low", "rose.lambert",
     "L'été, il n'y a nulle part où boire dans le centre sans entrer dans un café."),
    ("Un médecin qui passe aux Hauts-de-Meuse", "sante", "Les Hauts-de-Meuse", 48.7668, 5.6017, "medium",
     "therese.vidal", "Le cabinet le plus proche est à 12 km ; les personnes âgées sans voiture n'y vont plus."),
]


def load(commune, users) -> list[str]:
    lists.add_defaults(commune.id)
    db.session.flush()
    categories = {c.code: c for c in db.session.scalars(db.select(Category).where(Category.commune_id == commune.id))}
    places = {n.name: n for n in db.session.scalars(
        db.select(Neighbourhood).where(Neighbourhood.commune_id == commune.id))}
    needs = []
    for title, category, place, latitude, longitude, urgency, author, description in NEEDS:
        need = Need(commune_id=commune.id, category_id=categories[category].id,
                    neighbourhood_id=places[place].id, title=title, description=description,
                    latitude=latitude, longitude=longitude, urgency=urgency, author_id=users[author].id,
                    show_author=True, status="reported")
        reporting.record_reported([need], users[author])
        needs.append(need)
    cantine, abri, vacants = needs[0], needs[1], needs[2]
    for local in ("amina.benali", "chloe.martin", "gerard.petit"):
        supports.add(cantine.subject_id, users[local])
    supports.add(abri.subject_id, users["samuel.faure"])
    for local in ("lea.girard", "nadia.cherif"):
        supports.add(vacants.subject_id, users[local])
    comments.add(cantine.subject_id, users["chloe.martin"],
                 "Le cercle Alimentation peut en parler avec la cantine dès la prochaine réunion.")
    facilitator = users["camille.facilitatrice"]
    history.record(cantine.subject_id, cantine.status, "recognised", facilitator, "Vu en réunion de quartier")
    cantine.status = "recognised"
    db.session.flush()
    return [_("Needs: %(num)d on the map of the commune, with supports, a comment and a recognised need.",
              num=len(needs))]
