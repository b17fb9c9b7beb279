"""Threaded comments, reports, moderation with its log, and an XSS corpus rendered inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markupsafe import escape

from convergence.extensions import db
from convergence.participation.models import Comment, ModerationAction, Report
from plugins.proposals.models import Amendment, Proposal

from .conftest import as_user, create, post

# Classic injection vectors, in titles, bodies, amendments and comments.
XSS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert('x')>",
    "<svg onload=alert('x')>",
    "[clic](javascript:alert('x'))",
    "<a href=\"javascript:alert('x')\">lien</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<div style=\"background:url(javascript:alert('x'))\">s</div>",
    "\"><script>alert('x')</script>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>",
    "<details open ontoggle=alert('x')>",
    "![img](javascript:alert('x'))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x')>",
]



class ActiveMarkup(HTMLParser):
    """Collects what a browser would run or load from the markup (escaped text is inert)."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "base"):
            self.found.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def active_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


def page(proposal) -> str:
    return f"/propositions/{proposal.id}"


def open_proposal(app, room, **fields):
    alice = as_user(app, room.alice)
    proposal = create(alice, room, **fields)
    assert post(alice, page(proposal), page(proposal) + "/statut", {"status": "discussion"}).status_code == 302
    return alice, proposal


def comment(client, proposal, body, parent=None):
    data = {"body": body}
    if parent is not None:
        data["parent_id"] = str(parent)
    return post(client, page(proposal), page(proposal) + "/commentaires", data)


def test_comments_are_threaded(app, room):
    alice, proposal = open_proposal(app, room)
    bob = as_user(app, room.bob)
    assert comment(bob, proposal, "Première remarque").status_code == 302
    first = db.session.scalar(db.select(Comment))
    assert comment(alice, proposal, "Réponse de l'autrice", parent=first.id).status_code == 302
    reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == first.id))
    deep = reply.id
    for n in range(6):  # deeper than shown: still attached, shown at the last depth
        comment(bob, proposal, f"Niveau {n}", parent=deep)
        deep = db.session.scalar(db.select(db.func.max(Comment.id)))
    html = bob.get(page(proposal)).get_data(as_text=True)
    assert html.index("Première remarque") < html.index("Réponse de l") < html.index("Niveau 5")
    assert "depth-1" in html and "depth-4" in html and "depth-5" not in html
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).comments_count == 8


def test_bad_comments_are_refused(app, room):
    _alice, proposal = open_proposal(app, room)
    bob = as_user(app, room.bob)
    assert comment(bob, proposal, "   ").status_code == 422
    assert comment(bob, proposal, "x" * 5001).status_code == 422
    assert comment(bob, proposal, "réponse", parent=99999).status_code == 422
    outsider = as_user(app, room.outsider)
    assert comment(outsider, proposal, "Bonjour").status_code == 403
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_reports_and_moderation_with_its_log(app, room):
    _alice, proposal = open_proposal(app, room)
    bob, carol = as_user(app, room.bob), as_user(app, room.carol)
    comment(bob, proposal, "Propos blessant")
    target = db.session.scalar(db.select(Comment))
    report = page(proposal) + f"/commentaires/{target.id}/signalement"
    assert post(carol, page(proposal), report, {"reason": "Insultant"}).status_code == 302
    again = post(carol, page(proposal), report, {"reason": "Encore"})
    assert again.status_code == 409 and "déjà signalé" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    facilitator = as_user(app, room.facilitator)
    queue = f"/assemblees/{room.assembly.id}/propositions/moderation"
    html = facilitator.get(queue).get_data(as_text=True)
    assert "Propos blessant" in html and "Insultant" in html
    assert "Propos blessant" not in carol.get(queue).get_data(as_text=True)  # the queue is the facilitators'
    moderate = page(proposal) + f"/commentaires/{target.id}/moderation"
    assert post(carol, page(proposal), moderate, {"action": "hide", "reason": "x"}).status_code == 403
    assert post(facilitator, page(proposal), moderate, {"action": "hide", "reason": ""}).status_code == 422
    assert post(facilitator, page(proposal), moderate,
                {"action": "hide", "reason": "Attaque personnelle"}).status_code == 302
    shown = carol.get(page(proposal)).get_data(as_text=True)
    assert "Propos blessant" not in shown and "Attaque personnelle" in shown
    log = carol.get(queue).get_data(as_text=True)  # the log is public
    assert "commentaire masqué" in log and "Attaque personnelle" in log
    assert post(facilitator, page(proposal), moderate, {"action": "hide", "reason": "x"}).status_code == 409
    assert post(facilitator, page(proposal), moderate, {"action": "restore", "reason": "Erreur"}).status_code == 302
    assert "Propos blessant" in carol.get(page(proposal)).get_data(as_text=True)
    actions = db.session.scalars(db.select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [(a.action, a.reason, a.by_id) for a in actions] == [
        ("hide", "Attaque personnelle", room.facilitator.id), ("restore", "Erreur", room.facilitator.id)]


def test_the_checker_sees_active_markup_and_not_escaped_text():
    assert active_markup("<img src=x onerror=alert(1)><a href='javascript:x'>a</a><script>x</script>") == [
        "img[onerror]", "a[href=javascript:x]", "script"]
    assert active_markup("&lt;img src=x onerror=alert(1)&gt; javascript:") == []


@pytest.mark.parametrize("payload", XSS)
def test_injected_markup_is_rendered_inert_everywhere(app, room, payload):
    alice, proposal = open_proposal(app, room, title="Titre " + payload, body="Début.\n\n" + payload)
    bob = as_user(app, room.bob)
    assert comment(bob, proposal, payload).status_code == 302
    url = page(proposal) + "/amendements/nouveau"
    amended = post(bob, url, url, {"paragraph": "1", "new_text": payload + " modifié", "explanation": payload,
                                   "base_version": "1"})
    assert amended.status_code == 302, amended.get_data(as_text=True)[:800]
    edit = page(proposal) + "/modifier"
    edited = post(alice, edit, edit, {"title": "Nouveau " + payload, "body": "Autre.\n\n" + payload + "!",
                                      "base_version": "1"})
    assert edited.status_code == 302, edited.get_data(as_text=True)[:800]
    # Every post was kept as typed: the payloads are text, refused nowhere, stored verbatim.
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert (stored.title, stored.body, stored.version) == ("Nouveau " + payload, "Autre.\n\n" + payload + "!", 2)
    assert db.session.scalars(db.select(Comment.body).where(Comment.subject_id == proposal.subject_id)).all() == [payload]
    assert db.session.execute(db.select(Amendment.new_text, Amendment.explanation)
                              .where(Amendment.proposal_id == proposal.id)).all() == [(payload + " modifié", payload)]
    for url in (page(proposal), room.base, page(proposal) + "/versions?de=1&a=2",
                f"/assemblees/{room.assembly.id}/propositions/moderation"):
        response = alice.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        body = html[html.index("<main"):html.index("</main>")]
        found = active_markup(body)
        assert not found, (url, found, payload)
    # Plain-text fields show the payload itself, escaped: the title, and the amendment's reason.
    shown = alice.get(page(proposal)).get_data(as_text=True)
    assert f"<h1>{escape('Nouveau ' + payload)}</h1>" in shown
    assert f"<p>{escape(payload)}</p>" in shown
    assert str(escape("Nouveau " + payload)) in alice.get(room.base).get_data(as_text=True)
