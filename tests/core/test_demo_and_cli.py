"""The French demo, every page linked from its home page, and the core's commands."""

import re
from urllib.parse import urljoin, urlsplit

from convergence.extensions import db
from convergence.models import AgendaItem, Assembly, Circle, Commune, Membership, User

HREF = re.compile(r'href="([^"#]+)"')


def test_load_demo_is_complete_and_idempotent(runner):
    result = runner.invoke(args=["load-demo", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    assert "camille.facilitatrice@demo.convergence.fr" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) >= 23
    commune = db.session.scalar(db.select(Commune))
    assert len(commune.neighbourhoods) >= 3
    assert {c.name for c in db.session.scalars(db.select(Circle))} == {"Alimentation", "Logement"}
    roles = set(db.session.scalars(db.select(Membership.role).where(Membership.space_id == commune.space_id)))
    assert {"resident", "facilitator", "guarantor", "elected"} <= roles
    titles = db.session.scalars(db.select(AgendaItem.title).order_by(AgendaItem.position)).all()
    assert titles[0].startswith("Accueil") and titles[-1].startswith("Restitution")
    again = runner.invoke(args=["load-demo"])
    assert again.exit_code == 0 and "déjà chargée" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Assembly)) == 1


def test_every_page_linked_from_home_answers_in_french(app, client, runner):
    runner.invoke(args=["load-demo", "--password", "demo-password-1"])
    seen, queue, failures = set(), ["/"], []
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            # Members' pages ask anonymous visitors to log in; anything else must work.
            if not (response.status_code == 302 and "/compte/connexion" in response.headers["Location"]):
                failures.append((url, response.status_code))
            continue
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        assert 'lang="fr"' in page, url
        for href in HREF.findall(page):
            target = urlsplit(urljoin(url, href))
            if target.netloc in ("", "localhost") and not target.path.startswith("/static/"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert failures == []
    assert len(seen) >= 8


def test_create_admin_command(runner):
    result = runner.invoke(args=["create-admin", "--email", "Admin@Example.org", "--name", "Admin",
                                 "--password", "un-secret-solide"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    assert user.is_admin and user.check_password("un-secret-solide")
    short = runner.invoke(args=["create-admin", "--email", "b@example.org", "--name", "B", "--password", "court"])
    assert short.exit_code != 0


def test_live_publish_command_refuses_bad_json(runner):
    result = runner.invoke(args=["live-publish", "1", "x", "{pas du json"])
    assert result.exit_code != 0 and "ce n'est pas du JSON" in result.output
