"""Examples for the French demo: a proposal in discussion with an amendment, supports and
a thread (the core's comments); one submitted to its circle with a first consent round closed on an objection and
a second one open; one adopted by the assembly through a consent round with no objection (the Commune des
Communes demo sends it to its meeting, when that plug-in comes after this one); a draft. Written through the
plug-in's own services, as people would."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models import Circle
from convergence.participation import comments

from . import amendments, consent, drafting, supports
from .models import CONSENT, DISCUSSION, OBJECTION, ROUND_LIVE, STAND_ASIDE, TO_ASSEMBLY, TO_CIRCLE

CANTINE = """La cantine de l'école et le restaurant des aîné·es servent chaque jour 380 repas.

Nous proposons que ces repas soient cuisinés sur place avec des produits achetés aux fermes situées à moins de 50 km, \
sans hausse du prix payé par les familles.

Le cercle Alimentation réunit les producteurs et les cuisiniers avant l'été pour établir la liste des produits et \
le calendrier des livraisons."""

VACANTS = """Une centaine de logements seraient vides dans la commune depuis plus de deux ans.

Le cercle Logement organise un recensement à pied, rue par rue, avec les habitantes et habitants volontaires, \
puis publie la carte des logements vacants.

Les propriétaires sont contactés pour proposer une remise en location à loyer modéré."""

REGIE_TITLE = "Reprendre l'eau en régie publique"
REGIE = """Le contrat qui confie le service de l'eau à une entreprise privée prend fin dans deux ans.

Nous proposons que la commune reprenne le service en régie publique, avec un conseil d'exploitation où siègent \
des usagères et usagers tirés au sort.

Le prix du mètre cube est voté chaque année par l'assemblée, et les premiers mètres cubes de chaque foyer sont \
gratuits."""


def load(assembly, users) -> list[str]:
    def user(local):
        return users[local]

    circles = {c.name: c for c in db.session.scalars(db.select(Circle).where(
        Circle.commune_id == assembly.commune_id))}

    cantine = drafting.create(assembly, user("amina.benali"), "Une cantine 100 % locale", CANTINE,
                              circles.get("Alimentation"))
    drafting.record_status(cantine, DISCUSSION, user("amina.benali"))
    db.session.flush()
    drafting.invite(cantine, user("chloe.martin"))
    drafting.accept_author(cantine, user("chloe.martin").id, by_author=False)
    db.session.flush()
    amendments.propose(cantine, user("bernard.lefevre"), "1",
                       "Nous proposons que ces repas soient cuisinés sur place avec des produits achetés aux fermes "
                       "situées à moins de 50 km, dont la moitié en agriculture biologique, sans hausse du prix payé "
                       "par les familles.", "Ajouter un objectif de produits biologiques.")
    for local in ("bernard.lefevre", "fatou.diallo", "gerard.petit", "helene.moreau"):
        supports.add(cantine, user(local))
    first = comments.add(cantine.subject_id, user("daniel.rousseau"), "Qui paiera le surcoût des produits locaux ?")
    db.session.flush()
    comments.add(cantine.subject_id, user("amina.benali"), "Le budget participatif peut financer la première année ; "
                 "ensuite les achats groupés compensent.", first.id)

    vacants = drafting.create(assembly, user("karim.haddad"), "Recenser les logements vacants", VACANTS,
                              circles.get("Logement"))
    drafting.record_status(vacants, DISCUSSION, user("karim.haddad"))
    db.session.flush()
    facilitator = user("helene.moreau")
    round_one = consent.open_round(vacants, facilitator, ROUND_LIVE, None, TO_CIRCLE)
    consent.answer(round_one, user("lea.girard"), OBJECTION,
                   "Contacter les propriétaires sans cadre peut être vécu comme une pression : précisons qui le fait "
                   "et comment.")
    consent.answer(round_one, user("nadia.cherif"), CONSENT, "")
    db.session.flush()
    consent.close(round_one, facilitator, vacants)
    drafting.save_version(vacants, user("karim.haddad"), vacants.version, vacants.title,
                          VACANTS.replace("Les propriétaires sont contactés",
                                          "Les propriétaires sont contactés par courrier de la commune, signé par "
                                          "le cercle,") + "", note="Réponse à l'objection de Léa")
    round_two = consent.open_round(vacants, facilitator, ROUND_LIVE, None)
    consent.answer(round_two, user("lea.girard"), CONSENT, "")
    consent.answer(round_two, user("karim.haddad"), STAND_ASIDE, "Je porte la proposition.")

    regie = drafting.create(assembly, user("olivier.mercier"), REGIE_TITLE, REGIE)
    drafting.record_status(regie, DISCUSSION, user("olivier.mercier"))
    db.session.flush()
    adoption = consent.open_round(regie, user("camille.facilitatrice"), ROUND_LIVE, None, TO_ASSEMBLY)
    for local, value, reason in (("pauline.roux", CONSENT, ""), ("quentin.blanc", CONSENT, ""),
                                 ("therese.vidal", STAND_ASIDE, "Je connais mal le dossier, je laisse faire."),
                                 ("samuel.faure", CONSENT, "")):
        consent.answer(adoption, user(local), value, reason)
    db.session.flush()
    consent.close(adoption, user("camille.facilitatrice"), regie)

    drafting.create(assembly, user("fatou.diallo"), "Un jardin partagé aux Tanneries",
                    "Le terrain en friche derrière l'ancienne tannerie pourrait accueillir un jardin partagé.\n\n"
                    "À compléter avec les voisines et voisins.")
    db.session.flush()
    return [_("Proposals: « %(first)s » (in discussion, an amendment, 4 supports), « %(second)s » (consent round 2 "
              "open, circle Logement), a draft.", first="Une cantine 100 % locale",
              second="Recenser les logements vacants"),
            _("Proposals: « %(title)s » adopted by consent, with no objection.", title=REGIE_TITLE)]
