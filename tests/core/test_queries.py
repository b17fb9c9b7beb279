"""Every page issues a bounded number of SQL queries whatever the data size."""

from datetime import timedelta


from convergence.extensions import db
from convergence.models import (AgendaItem, AuditEntry, Circle, CircleMembershipEvent, CircleRequest, ConsentAnswer,
                                Membership, User)
from convergence.models.base import utcnow
from tests.fixtures import count_queries, login


def populate(make, commune, assembly, circle, scale: int) -> None:
    users = [User(email=f"u{scale}-{i}@example.org", display_name=f"U{i}", password_hash="x") for i in range(20 * scale)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, space_id=commune.space_id, role="resident") for u in users)
    db.session.add_all(Membership(user_id=u.id, space_id=circle.space_id, role="member") for u in users[:5 * scale])
    db.session.add_all(CircleMembershipEvent(circle_id=circle.id, user_id=u.id, kind="join", role="member",
                                             decided_on=utcnow().date(), decision="Consentement")
                       for u in users[:5 * scale])
    # Requests to join the circle, open and decided, each with its members' answers.
    for i in range(2 * scale):
        request = CircleRequest(circle_id=circle.id, person_id=users[-1 - i].id, request="join", message="Bonjour",
                                mode="async", deadline=utcnow() + timedelta(days=3),
                                closed_at=utcnow() if i % 2 else None, outcome="adopted" if i % 2 else None)
        db.session.add(request)
        db.session.flush()
        db.session.add_all(ConsentAnswer(round_id=request.id, user_id=u.id, answer="consent")
                           for u in users[:5 * scale])
    db.session.add_all(AgendaItem(assembly_id=assembly.id, position=i, title=f"Point {i}", kind="pleniere")
                       for i in range(5 * scale))
    db.session.add_all(AuditEntry(action="role.given", commune_id=commune.id, actor_id=users[i].id, target="x")
                       for i in range(10 * scale))
    for i in range(3 * scale):
        make.assembly(commune, title=f"Assemblée {i}", starts_at=utcnow() + timedelta(days=i))
        db.session.add(Circle(commune_id=commune.id, name=f"Cercle {i}", purpose="p"))
    db.session.commit()


PAGES = [
    "/", "/communes/", "/communes/{slug}", "/communes/{slug}/membres", "/communes/{slug}/journal",
    "/assemblees/{assembly}", "/assemblees/{assembly}/projection", "/assemblees/{assembly}/ordre-du-jour",
    "/cercles/{circle}", "/assemblees/{assembly}/outils", "/communes/{slug}/outils", "/cercles/{circle}/outils",
    "/communes/{slug}/donnees-ouvertes", "/assemblees/{assembly}/donnees-ouvertes", "/cercles/{circle}/donnees-ouvertes",
]


def measure(app, client, commune, assembly, circle) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        url = page.format(slug=commune.slug, assembly=assembly.id, circle=circle.id)
        with count_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_page_queries_do_not_grow_with_data(app, client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="Eau")
    db.session.add(circle)
    db.session.commit()
    admin = make.user()
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    populate(make, commune, assembly, circle, 1)
    small = measure(app, client, commune, assembly, circle)
    populate(make, commune, assembly, circle, 10)
    large = measure(app, client, commune, assembly, circle)
    assert large == small
    assert max(small.values()) <= 12, small
