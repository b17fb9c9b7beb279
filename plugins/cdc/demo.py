"""Examples for the French demo (hook ``demo-content``): the demo's « Commune des
Communes » assembly gets its meeting — two days as in the Commercy guide, workshops in
parallel rooms, meals — with two delegations registered (a neighbouring commune's
popular assembly, a citizen list) and a resident's offer of lodging, matched; then two more
(a third commune, an ecologist collective) and the joint declaration as it ends the meeting:
amendments in every state, a vote between two wordings of an article (closed, three
delegations' ballots), the host commune's adopted proposal sent as a contribution (from the
proposals plug-in's demo, which comes first), the delegations' floor votes, the text adopted
and signed once.

Written through the plug-in's own services, as people would; the core commits."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc

from convergence import hooks
from convergence.extensions import db
from convergence.models import Commune
from convergence.models.base import utcnow
from convergence.models.drafting import Amendment

from . import adoption, contributions, declarations, lodging, meetings, outcomes, registration, wording_vote
from .declaration_models import (AMENDING, ANSWER_AGREED, ANSWER_MAINTAINED, CHOICE_ABSTAIN,
                                 CHOICE_AGAINST, CHOICE_FOR, KIND_ADD, KIND_MODIFY, OUTCOME_MERGED,
                                 OUTCOME_REJECTED, OUTCOME_WITHDRAWN, PROCEDURE_ACCEPT, PROCEDURE_MERGE,
                                 PROCEDURE_MODIFIED, PROCEDURE_REJECT, VOTE_ON_ADOPTION, VOTE_ON_AMENDMENT,
                                 VOTING, AmendmentSupport, DeclarationAmendment, FloorVote, Signature, Voice)
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
    neighbour = _commune("vaucouleurs", "Vaucouleurs", 48.60, 5.67,
                         "Commune voisine, dont l'assemblée populaire vient en délégation.")
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
    second, _place = registration.register(meeting, users["lea.girard"], Registration(
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
    delegations = [first, second, *_two_more_delegations(meeting, users, saturday, sessions)]
    db.session.flush()
    more = _declaration(meeting, users, delegations)
    return [_("Commune des Communes: the meeting « %(title)s » over two days, %(n)d delegations registered "
              "and a lodging offer matched.", title=assembly.title, n=len(delegations)),
            _("Commune des Communes: the joint declaration, with amendments in every state, the delegations' "
              "votes, adopted and signed by one collective."), *more]


def _two_more_delegations(meeting, users, saturday, sessions):
    """A third commune's assembly and an ecologist collective, so that the plenary's votes
    have four voices (the Commercy delegation carries two: its assembly mandated two votes)."""
    commercy = _commune("commercy", "Commercy", 48.76, 5.59,
                        "Commune de l'appel des gilets jaunes ; son assemblée populaire se réunit chaque semaine.")
    third, _place = registration.register(meeting, users["marc.dubois"], Registration(
        kind="collective", head_name="Marc Dubois", people_count=10, contact_email="marc.dubois@demo.convergence.fr",
        commune_id=commercy.id, collective_name="Assemblée populaire de Commercy", home_town="Commercy",
        collective_form="Assemblée hebdomadaire ouverte, décisions au consensus puis au vote.",
        objectives="Fédérer les assemblées locales en une commune des communes.",
        initiatives="Maison du peuple, épicerie solidaire, journal de l'assemblée.", members=["Rose Lambert"],
        mandate_kind="semi_imperatif", mandate_text="Défendre l'assemblée souveraine ; deux voix au vote.",
        lodging_mode="own", meals={sessions["Repas du samedi midi"]: 10}))
    third.vote_weight = 2
    fourth, _place = registration.register(meeting, users["nadia.cherif"], Registration(
        kind="collective", head_name="Nadia Cherif", people_count=4, contact_email="nadia.cherif@demo.convergence.fr",
        collective_name="Collectif écologiste des Côtes de Meuse", home_town="Hattonchâtel",
        collective_form="Association de fait, réunion mensuelle.",
        objectives="Protéger les sources et les forêts communales.",
        initiatives="Chantiers de replantation, suivi de la qualité des rivières.", mandate_kind="libre",
        lodging_mode="hall", nights={saturday: 4}, workshops={sessions["Autonomie matérielle des communes"]: 4}))
    return third, fourth


# The committee's first text: four sections, twelve articles (in the spirit of Commercy's appeal).
DECLARATION_TITLE = "Déclaration de Belleville-sur-Meuse"
DECLARATION_TEXT = """# Des assemblées souveraines

Nous, délégations d'assemblées populaires, de listes citoyennes et de collectifs, affirmons que le pouvoir appartient aux habitantes et aux habitants réunis en assemblée.

Chaque commune se dote d'une assemblée ouverte à toutes et à tous, qui délibère sur tout ce qui la concerne.

Les élu·es sont mandaté·es par l'assemblée, lui rendent compte et sont révocables.

# Les besoins fondamentaux

L'eau est un bien commun : sa gestion revient à une régie publique contrôlée par les usagers.

Nul ne doit dormir dehors : les logements vacants sont recensés et mis à disposition.

L'alimentation de la commune est relocalisée autant que possible, avec les paysannes et paysans du territoire.

# Les communs et l'écologie

Les terres, les forêts et les sources communales sont inaliénables.

Les communes partagent leurs outils, leurs lieux et leurs savoirs.

Toute décision tient compte de ses effets sur les générations futures.

# La commune des communes

Les communes se fédèrent librement en une commune des communes.

La rencontre des communes se tient au moins une fois par an, dans une commune différente.

Les délégations y viennent avec un mandat de leur collectif et le rendent public."""

# Reasons and wordings of the committee, kept apart from the control flow.
MODIFIED_WORDING = ("L'eau est un bien commun : sa gestion revient à une régie publique dont les usagers "
                    "siègent au conseil d'exploitation.")


def _declaration(meeting, users, delegations) -> list[str]:
    """The declaration as the meeting leaves it: each amendment at a different step. Returns
    the demo's lines on the vote between wordings and the communes' contributions."""
    committee = users["camille.facilitatrice"]
    vaucouleurs, saint_mihiel, commercy, ecologists = delegations
    declaration = declarations.create(meeting, committee, DECLARATION_TITLE, DECLARATION_TEXT)
    declaration.state = AMENDING
    article = {a.number: a for a in declarations.articles(declaration)}

    def tabled(delegation, who, kind, target, new_text, explanation, **more):
        number = declaration.next_amendment_number
        declaration.next_amendment_number = number + 1
        core = Amendment(document_id=declaration.document_id, paragraph=None,
                         base_version=declaration.document.version,
                         original_text=target.text if kind == KIND_MODIFY and target else "", new_text=new_text,
                         explanation=explanation, author_id=users[who].id)
        db.session.add(core)
        db.session.flush()
        row = DeclarationAmendment(declaration_id=declaration.id, amendment_id=core.id, number=number, kind=kind,
                                   delegation_id=delegation.id, article_id=target.id if target else None, **more)
        row.amendment = core
        row.declaration = declaration
        row.article = target
        db.session.add(row)
        db.session.flush()
        return row

    def procedure(row, kind, *, text="", reason="", into=None, answer=None):
        row.procedure, row.procedure_text, row.procedure_reason = kind, text, reason
        row.merge_into_id = into.id if into is not None else None
        row.procedure_at = utcnow()
        if answer is not None:
            row.answer, row.answered_at = answer, utcnow()

    # A1 — pending, supported by two other delegations.
    pending = tabled(vaucouleurs, "karim.haddad", KIND_MODIFY, article[5],
                     "Nul ne doit dormir dehors : les logements vacants sont réquisitionnés et mis à disposition.",
                     "Le recensement ne suffit pas sans réquisition.")
    for supporter in (commercy, ecologists):
        db.session.add(AmendmentSupport(amendment_id=pending.id, delegation_id=supporter.id))
    pending.supports_count = 2
    # A2 — the committee proposes its own wording; the delegation has not answered yet.
    awaiting = tabled(ecologists, "nadia.cherif", KIND_MODIFY, article[4],
                      "L'eau est un bien commun : sa gestion revient à une régie publique gérée par les usagers.",
                      "Que les usagers gèrent, pas seulement contrôlent.")
    procedure(awaiting, PROCEDURE_MODIFIED, text=MODIFIED_WORDING)
    # A3 — accepted by the committee, agreed by the delegation, adopted.
    agreed = tabled(saint_mihiel, "lea.girard", KIND_ADD, article[8],
                    "Les communes publient leurs décisions et leurs comptes sous une licence libre.",
                    "Partager les outils commence par partager les décisions.")
    procedure(agreed, PROCEDURE_ACCEPT, answer=ANSWER_AGREED)
    outcomes.adopt(agreed, committee)
    # A4 — merged into A3 (same idea, the committee keeps A3's wording).
    merged = tabled(ecologists, "nadia.cherif", KIND_ADD, article[8],
                    "Les décisions des communes sont publiques.", "La transparence entre communes.")
    procedure(merged, PROCEDURE_MERGE, into=agreed, answer=ANSWER_AGREED)
    outcomes.close(merged, committee, OUTCOME_MERGED)
    # A5 — withdrawn by its delegation.
    withdrawn = tabled(saint_mihiel, "lea.girard", KIND_MODIFY, article[11],
                       "La rencontre des communes se tient deux fois par an.", "Une fois par an, c'est peu.")
    outcomes.close(withdrawn, committee, OUTCOME_WITHDRAWN, "Retiré par la délégation après discussion.")
    # A6 — the committee proposed to reject it, the delegation maintained it, the plenary carried it.
    carried = tabled(commercy, "marc.dubois", KIND_MODIFY, article[3],
                     "Les élu·es sont mandaté·es par l'assemblée, lui rendent compte chaque mois et sont "
                     "révocables à tout moment.", "Préciser le rythme et la révocabilité.")
    procedure(carried, PROCEDURE_REJECT, reason="Trop précis pour une déclaration de principes.",
              answer=ANSWER_MAINTAINED)
    # A7 — maintained too, the plenary rejected it.
    rejected = tabled(vaucouleurs, "karim.haddad", KIND_MODIFY, article[10],
                      "Les communes se fédèrent en une commune des communes dotée d'un bureau permanent.",
                      "Il faut un secrétariat entre deux rencontres.")
    procedure(rejected, PROCEDURE_REJECT, reason="Un bureau permanent contredit le principe des mandats.",
              answer=ANSWER_MAINTAINED)
    # A8, A9 — two exclusive wordings of article 7, put to a vote between wordings: the first wins.
    chosen = tabled(ecologists, "nadia.cherif", KIND_MODIFY, article[7],
                    "Les terres, les forêts, les sources et les rivières communales sont inaliénables.",
                    "Les rivières aussi.", exclusive_group=1)
    other = tabled(commercy, "marc.dubois", KIND_MODIFY, article[7],
                   "Les terres, les forêts et les sources communales sont inaliénables et gérées en commun.",
                   "Dire qui les gère.", exclusive_group=1)

    lines = _contribution(declaration, committee)
    if wording_vote.available(declaration.meeting.assembly):
        _vote_between_wordings(declaration, committee, (chosen, other), {
            # Three of the four delegations voted (grades worst first, 0 « À rejeter » … 6 « Excellent »).
            vaucouleurs: {wording_vote.CURRENT: 3, chosen.id: 5, other.id: 4},
            saint_mihiel: {wording_vote.CURRENT: 2, chosen.id: 4, other.id: 5},
            ecologists: {wording_vote.CURRENT: 1, chosen.id: 6, other.id: 3}})
        lines.append(_("Commune des Communes: a vote between two wordings of article %(n)d, closed after three "
                       "delegations voted with their codes; the winning wording is in the text.", n=7))
    else:  # without majority judgment, the committee decides by hand
        outcomes.adopt(chosen, committee)
        outcomes.close(other, committee, OUTCOME_REJECTED, "L'autre rédaction du groupe a été retenue.")

    declaration.state = VOTING
    choices = {vaucouleurs: CHOICE_FOR, saint_mihiel: CHOICE_ABSTAIN, commercy: CHOICE_FOR, ecologists: CHOICE_AGAINST}
    if _floor_vote(declaration, committee, choices, carried, cards=(ecologists,)):
        outcomes.adopt(carried, committee)
    choices = {vaucouleurs: CHOICE_FOR, saint_mihiel: CHOICE_AGAINST, commercy: CHOICE_AGAINST,
               ecologists: CHOICE_ABSTAIN}
    if not _floor_vote(declaration, committee, choices, rejected):
        outcomes.close(rejected, committee, OUTCOME_REJECTED, "Rejeté par la plénière.")

    # The whole text, voted by the plenary, then adopted through the same service as the page:
    # A1 and A2, never decided, are closed with the adoption (an adopted text has no open amendment).
    everyone_for = dict.fromkeys(delegations, CHOICE_FOR)
    _floor_vote(declaration, committee, everyone_for, None)
    adoption.adopt(declaration, committee, "vote")
    db.session.add(Signature(declaration_id=declaration.id, delegation_id=vaucouleurs.id,
                             collective_name=vaucouleurs.collective_name,
                             decision_reference="Assemblée populaire de Vaucouleurs du 7 juin",
                             signed_by_id=users["karim.haddad"].id))
    db.session.flush()
    return lines


CONTRIBUTION_SUMMARY = ("Notre assemblée a décidé par consentement de reprendre l'eau en régie publique. Nous "
                        "demandons que la déclaration en garde le principe : des usagers au conseil "
                        "d'exploitation et un prix voté chaque année.")


def _contribution(declaration, committee) -> list[str]:
    """The host commune's adopted proposal on its water, sent to the meeting as a
    contribution by its facilitator, as the proposal's page sends it (contributions.send).
    Nothing without the proposals plug-in, or when its demo did not come first."""
    api = contributions.proposals_api()
    lines = []
    for proposal in api.adopted(declaration.meeting.assembly, limit=1) if api is not None else ():
        sent = contributions.send(proposal, declaration, committee, kind=contributions.KIND_CONTRIBUTION,
                                  summary=CONTRIBUTION_SUMMARY)
        lines.append(_("Commune des Communes: the proposal « %(title)s », adopted by %(commune)s, sent to the "
                       "declaration as a contribution.", title=sent.title, commune=sent.commune.name))
    return lines


def _vote_between_wordings(declaration, committee, wordings, grades: dict) -> None:
    """The two wordings of article 7 (A8, A9) and the current text put to the delegations'
    majority judgment, as the committee's page opens it; each delegation's mandated delegate
    takes its code and votes with it on mj's code page (cast there, through the hook
    ``demo-ballots``: cdc reaches mj through its api only), then the committee closes it and
    the vote's result puts the winning wording into the article (wording_vote.on_vote_closed)."""
    vote = wording_vote.create(declaration, [a.number for a in wordings], committee)
    wording_vote.start(vote)
    ballots = [(wording_vote.code_for(vote, delegation), marks) for delegation, marks in grades.items()]
    hooks.collect("demo-ballots", only="mj", vote_id=vote.mj_vote_id, ballots=ballots)
    wording_vote.close(vote, committee)


def _floor_vote(declaration, organiser, choices: dict, amendment, cards=()) -> bool:
    """A closed vote of the delegations (each with its weight), as the vote page records it."""
    vote = FloorVote(declaration_id=declaration.id, subject=VOTE_ON_AMENDMENT if amendment else VOTE_ON_ADOPTION,
                     amendment_id=amendment.id if amendment else None, closed_at=utcnow())
    db.session.add(vote)
    db.session.flush()
    sums = dict.fromkeys((CHOICE_FOR, CHOICE_AGAINST, CHOICE_ABSTAIN), 0)
    for delegation, choice in choices.items():
        # Mandated delegates vote from their phones; an organiser records a raised card.
        by_card = delegation in cards
        db.session.add(Voice(floor_vote_id=vote.id, delegation_id=delegation.id, choice=choice,
                             weight=delegation.vote_weight, by_organiser=by_card,
                             cast_by_id=organiser.id if by_card else delegation.registered_by_id))
        sums[choice] += delegation.vote_weight
    vote.weight_for, vote.weight_against, vote.weight_abstain = (sums[CHOICE_FOR], sums[CHOICE_AGAINST],
                                                                 sums[CHOICE_ABSTAIN])
    vote.carried = vote.weight_for > vote.weight_against
    db.session.flush()
    return vote.carried


def _commune(slug, name, latitude, longitude, description) -> Commune:
    """A commune of the platform a delegation comes from (made if the demo lacks it)."""
    commune = db.session.scalar(db.select(Commune).where(Commune.slug == slug))
    if commune is None:
        commune = Commune(slug=slug, name=name, kind="commune", latitude=latitude, longitude=longitude,
                          description=description)
        db.session.add(commune)
        db.session.flush()
    return commune
