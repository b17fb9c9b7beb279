"""The first visit (issue 14, item 3): the home page says what one can do and shows what is
open now; « Pour moi » lists what concerns the logged-in person and what changed since
their last visit; reporting a need or making a proposal is one tap from the commune and
assembly pages. Each page reads a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

from convergence.extensions import db
from convergence.models import AuditEntry, Circle, SpaceFeature
from convergence.models.base import utcnow
from convergence.models.notifications import ForMeVisit
from tests.fixtures import count_queries, login, visible_text


def open_vote(place, question):
    from plugins.mj import api

    return api.create_vote(place, question, ["Oui", "Non"], opens_at=utcnow() - timedelta(minutes=1))


def consent_round(assembly, author, title, facilitator, circle=None):
    from plugins.proposals import consent, drafting
    from plugins.proposals.models import DISCUSSION, ROUND_ASYNC, TO_CIRCLE

    proposal = drafting.create(assembly, author, title, "Le texte de la proposition.", circle)
    drafting.record_status(proposal, DISCUSSION, author)
    db.session.flush()
    round_ = consent.open_round(proposal, facilitator, ROUND_ASYNC, utcnow() + timedelta(days=3),
                                TO_CIRCLE if circle is not None else None)
    db.session.commit()
    return proposal, round_


def test_the_home_page_says_what_one_can_do_and_shows_what_is_open(client, make):
    commune = make.commune("Belleville")
    assembly = make.assembly(commune, title="Assemblée de printemps", starts_at=utcnow() + timedelta(days=3))
    author, facilitator = make.user("Ada"), make.user("Fred")
    make.role(author, "resident", commune=commune)
    make.role(facilitator, "facilitator", commune=commune)
    open_vote(assembly, "Quel jour pour le marché ?")
    from plugins.mj import api

    api.create_vote(assembly, "Un vote pas encore ouvert ?", ["Oui", "Non"], opens_at=utcnow() + timedelta(days=1))
    consent_round(assembly, author, "Un jardin partagé", facilitator)

    text = visible_text(client.get("/"))
    assert "Ce que vous pouvez faire ici" in text
    assert "Signaler un besoin de votre rue" in text
    assert "Quel jour pour le marché ?" in text and "Un jardin partagé" in text
    assert "Un vote pas encore ouvert ?" not in text  # scheduled, not open
    assert "Assemblée de printemps" in text and "Belleville" in text
    assert "Se connecter" in text

    # A tool switched off in the assembly: its votes are not offered any more.
    db.session.add(SpaceFeature(space_id=assembly.space_id, plugin_name="mj", active=False))
    db.session.commit()
    text = visible_text(client.get("/"))
    assert "Quel jour pour le marché ?" not in text and "Un jardin partagé" in text


def test_the_home_page_reads_the_same_number_of_queries_whatever_is_open(app, client, make):
    commune = make.commune()
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)

    def add(n):
        for i in range(n):
            assembly = make.assembly(commune, title=f"A{n}-{i}", starts_at=utcnow() + timedelta(days=1))
            open_vote(assembly, f"Question {n}-{i} ?")
            consent_round(assembly, facilitator, f"Proposition {n}-{i}", facilitator)

    def measure():
        with count_queries(app) as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    add(1)
    small = measure()
    add(8)
    assert measure() == small
    assert small <= 8, small


def test_for_me_lists_what_is_open_to_the_person_and_their_own_items(client, make):
    from plugins.mj import ballots
    from plugins.needs.models import Need
    from plugins.needs.lists import add_defaults
    from plugins.needs.reporting import record_reported
    from plugins.needs.models import Category

    commune, elsewhere = make.commune("Belleville"), make.commune("Ailleurs")
    assembly, other = make.assembly(commune, title="Assemblée d'ici"), make.assembly(elsewhere)
    me, facilitator = make.user("Ada"), make.user("Fred")
    make.role(me, "resident", commune=commune)
    make.role(facilitator, "facilitator", commune=commune)
    mine = open_vote(assembly, "Un vote pour moi ?")
    voted = open_vote(assembly, "Un vote déjà fait ?")
    open_vote(other, "Un vote d'ailleurs ?")
    proposal, _round = consent_round(assembly, me, "Ma proposition", facilitator)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau")
    db.session.add(circle)
    db.session.commit()
    consent_round(assembly, facilitator, "Pour le cercle seulement", facilitator, circle=circle)
    ballots.cast(voted, {o.id: 1 for o in voted.options}, user_id=me.id)
    add_defaults(commune.id)
    db.session.flush()
    category = db.session.scalar(db.select(Category).where(Category.commune_id == commune.id))
    record_reported([Need(commune_id=commune.id, category_id=category.id, title="Un abri à vélos", author_id=me.id)], me)
    db.session.commit()

    login(client, me)
    page = client.get("/")
    assert 'href="/pour-moi"' in page.get_data(as_text=True)  # the header's link
    text = visible_text(client.get("/pour-moi"))
    assert "Pour moi" in text
    assert "Un vote pour moi ?" in text and "Ma proposition" in text  # its round asks me
    assert "Un vote déjà fait ?" not in text  # I voted
    assert "Un vote d'ailleurs ?" not in text  # not my commune
    assert "Pour le cercle seulement" not in text  # asked of the circle's members only
    assert "Un abri à vélos" in text and "Signalé" in text
    assert "Depuis votre dernière visite" not in text  # a first visit
    assert db.session.get(ForMeVisit, me.id) is not None
    assert mine.id  # (kept open: listed above)


def test_for_me_tells_what_changed_since_the_last_visit(client, make):
    commune = make.commune("Belleville")
    assembly = make.assembly(commune)
    me = make.user("Ada")
    make.role(me, "resident", commune=commune)
    open_vote(assembly, "Un ancien vote ?")
    login(client, me)
    client.get("/pour-moi")  # the first visit
    visit = db.session.get(ForMeVisit, me.id)
    earlier = utcnow() - timedelta(hours=2)
    visit.visit_started_at = earlier  # as if it were two hours ago
    db.session.execute(db.update(ForMeVisit).values(visit_started_at=earlier))
    db.session.commit()
    from plugins.mj.models import Vote

    # What was there before that visit: opened and journalled before it.
    db.session.execute(db.update(Vote).values(opens_at=earlier - timedelta(hours=1)))
    db.session.execute(db.update(AuditEntry).values(created_at=earlier - timedelta(hours=1)))
    open_vote(assembly, "Un nouveau vote ?")
    db.session.commit()  # the new vote is journalled (mj.vote.created) …
    db.session.add(AuditEntry(action="role.given", commune_id=commune.id, target="x"))  # … and a role given
    db.session.commit()

    text = visible_text(client.get("/pour-moi"))
    assert "Depuis votre dernière visite" in text
    assert "2 nouvelles entrées au journal des décisions de Belleville" in text, text
    new_vote, old_vote = text.index("Un nouveau vote ?"), text.index("Un ancien vote ?")
    assert "Nouveau" in text[max(0, new_vote - 120):new_vote]
    assert "Nouveau" not in text[max(0, old_vote - 120):old_vote].split("Un nouveau vote ?")[-1]
    # Read again within the same visit: the same changes, not forgotten on reload.
    assert "2 nouvelles entrées" in visible_text(client.get("/pour-moi"))
    assert db.session.get(ForMeVisit, me.id, populate_existing=True).previous_visit_at == earlier


def test_for_me_reads_the_same_number_of_queries_whatever_the_data(app, client, make):
    commune = make.commune()
    me, facilitator = make.user(), make.user()
    make.role(me, "resident", commune=commune)
    make.role(facilitator, "facilitator", commune=commune)
    login(client, me)

    def add(n):
        for i in range(n):
            assembly = make.assembly(commune, title=f"A{n}-{i}")
            open_vote(assembly, f"Question {n}-{i} ?")
            consent_round(assembly, me, f"Proposition {n}-{i}", facilitator)
            db.session.add(AuditEntry(action="role.given", commune_id=commune.id, target="x"))
        db.session.commit()

    def measure():
        db.session.execute(db.update(ForMeVisit).values(visit_started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        with count_queries(app) as statements:
            assert client.get("/pour-moi").status_code == 200
        return len(statements)

    client.get("/pour-moi")
    add(1)
    small = measure()
    add(8)
    assert measure() == small
    assert small <= 14, small


def test_for_me_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/pour-moi")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_a_need_and_a_proposal_are_one_tap_from_the_commune_and_assembly_pages(client, make):
    commune = make.commune("Belleville", slug="belleville")
    assembly = make.assembly(commune)
    commune_page = client.get("/communes/belleville").get_data(as_text=True)
    assert 'class="button" href="/communes/belleville/besoins/signaler"' in commune_page
    assembly_page = client.get(f"/assemblees/{assembly.id}").get_data(as_text=True)
    assert f'class="button" href="/assemblees/{assembly.id}/propositions/nouvelle"' in assembly_page
    assert 'class="button" href="/communes/belleville/besoins/signaler"' in assembly_page
    # The tap leads a visitor to logging in, then to the form.
    response = client.get("/communes/belleville/besoins/signaler")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    me = make.user()
    make.role(me, "resident", commune=commune)
    login(client, me)
    assert "Signaler un besoin" in visible_text(client.get("/communes/belleville/besoins/signaler"))
    # Switched off in the commune: no button.
    db.session.add(SpaceFeature(space_id=commune.space_id, plugin_name="needs", active=False))
    db.session.commit()
    assert "besoins/signaler" not in client.get("/communes/belleville").get_data(as_text=True)
