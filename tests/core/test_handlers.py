"""The one request flow (convergence/web/handlers.py), through a small page of notes in a
circle built here on the core's Handler, and through the core's own pages: 404 when the
tool is off, the rule refuses, one commit on success, nothing written on a refusal — the
page drawn again with the message, what was typed, and a title starting « Erreur : »."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from flask import Blueprint, redirect, render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from convergence import audit
from convergence.extensions import db
from convergence.loaders import circle_or_404
from convergence.models import AgendaItem, AuditEntry, Circle, SpaceFeature
from convergence.participation import comments
from convergence.participation.forms import CommentForm
from convergence.participation.handlers import CommentPost
from convergence.participation.models import Comment, Subject
from convergence.refusal import Refused
from convergence.web.handlers import Handler, route
from tests.fixtures import browser_fields, csrf_token, login

bp = Blueprint("flow_test", __name__)

PAGE = """{% extends "base.html" %}
{% from "macros/forms.html" import field, errors_summary %}
{% block title %}Notes{% endblock %}
{% block content %}
{{ errors_summary(form) }}
<form method="post" novalidate>{{ form.csrf_token }}{{ field(form.text) }}<button>Envoyer</button></form>
{% endblock %}"""

DISCUSSION = """{% extends "base.html" %}
{% from "participation/_comments.html" import discussion %}
{% block title %}Sujet{% endblock %}
{% block content %}{{ discussion(threads, request.path, request.path ~ '/', True, moderate=True,
                                 comment_form=comment_form) }}{% endblock %}"""


class NoteForm(FlaskForm):
    text = StringField("Votre note", validators=[DataRequired("Écrivez la note."), Length(max=50)])


@route(bp, "/essai/cercles/<int:circle_id>/notes", "notes", methods=("GET", "POST"))
class Notes(Handler):
    feature = "mj"  # on by default in a circle, switched off on its « Outils » page
    permission = "circle.member"

    def load(self, circle_id: int):
        self.circle = circle_or_404(circle_id)
        return self.circle

    def get(self):
        return self.render()

    def post(self):
        form = self.form(NoteForm)
        if not form.validate():
            return self.invalid()
        # Written first, then refused: the flow must roll it back.
        audit.record("note.written", commune_id=self.circle.commune_id, target=form.text.data)
        if "refus" in form.text.data:
            raise Refused("Cette note est refusée : reformulez-la.", 409)
        return redirect(f"/cercles/{self.circle.id}")

    def render(self):
        return render_template_string(PAGE, form=self.form(NoteForm))


@route(bp, "/essai/sujets/<int:subject_id>", "subject", methods=("GET", "POST"))
class SubjectPage(CommentPost, Handler):
    login_required = True

    def load(self, subject_id: int):
        self.subject_id = subject_id

    def get(self):
        return self.render()

    def post(self):
        comment = self.post_comment(self.subject_id)
        return redirect(f"/essai/sujets/{self.subject_id}#commentaire-{comment.id}")

    def render(self):
        return render_template_string(DISCUSSION, threads=comments.threads(self.subject_id),
                                      comment_form=self.form(CommentForm))


@pytest.fixture
def flow(app, make):
    app.register_blueprint(bp)
    commune = make.commune()
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau")
    db.session.add(circle)
    db.session.commit()
    member = make.user("Inès")
    make.role(member, "member", circle=circle)
    return circle, member


@pytest.fixture
def commits(app):
    counted = []

    def count(_connection):
        counted.append(1)

    engine = db.engine
    sa.event.listen(engine, "commit", count)
    yield counted
    sa.event.remove(engine, "commit", count)


def text(response) -> str:
    """The page's text with French typography's narrow spaces read as spaces."""
    return html.unescape(response.get_data(as_text=True)).replace("\u202f", " ").replace("\xa0", " ")


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", text(response), re.S).group(1).strip()


def raw(response) -> str:
    return response.get_data(as_text=True).replace("\u202f", " ").replace("\xa0", " ")


def notes() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(db.select(AuditEntry.target).where(AuditEntry.action == "note.written")).all()


def test_the_flow_404s_when_the_tool_is_off_and_asks_the_rule(app, client, make, flow):
    circle, member = flow
    url = f"/essai/cercles/{circle.id}/notes"
    assert client.get(url).status_code == 302  # a visitor is sent to log in (the rule said 401)
    login(client, make.user("Sans-cercle"))
    assert client.get(url).status_code == 403
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    login(client, member)
    assert client.get(url).status_code == 200
    db.session.add(SpaceFeature(space_id=circle.space_id, plugin_name="mj", active=False))
    db.session.commit()
    assert client.get(url).status_code == 404
    assert client.post(url, data={"text": "bonjour", **browser_fields(client, f"/cercles/{circle.id}")}) \
        .status_code == 404
    assert notes() == []


def test_the_flow_commits_once_on_success_and_writes_nothing_on_a_refusal(app, client, flow, commits):
    circle, member = flow
    login(client, member)
    url = f"/essai/cercles/{circle.id}/notes"
    token = csrf_token(client, url)
    commits.clear()
    assert client.post(url, data={"csrf_token": token, "text": "Réunion jeudi"}).status_code == 302
    assert len(commits) == 1 and notes() == ["Réunion jeudi"]

    commits.clear()
    refused = client.post(url, data={"csrf_token": token, "text": "une note à refuser <b>"})
    assert refused.status_code == 409 and commits == []
    assert notes() == ["Réunion jeudi"]  # what the handler wrote before refusing is gone
    page = text(refused)
    assert "Cette note est refusée : reformulez-la." in page  # the message, on the page itself
    assert 'value="une note à refuser &lt;b&gt;"' in raw(refused)  # what was typed, escaped
    assert title(refused).startswith("Erreur :")

    invalid = client.post(url, data={"csrf_token": token, "text": ""})
    assert invalid.status_code == 422 and title(invalid).startswith("Erreur :") and notes() == ["Réunion jeudi"]
    shown = raw(invalid)
    # The summary links to the field; the field says it is required and is tied to its message.
    assert '<a href="#text">' in shown and "Écrivez la note." in html.unescape(shown)
    assert re.search(r'<input[^>]*aria-describedby="text-error"[^>]*aria-invalid="true"', shown) or \
        re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="text-error"', shown)
    assert 'id="text-error"' in shown and 'class="required-mark"' in shown and "(obligatoire)" in html.unescape(shown)
    assert not title(client.get(url)).startswith("Erreur")


def test_an_empty_comment_is_said_next_to_its_field_and_the_typed_text_kept(app, client, make, flow):
    _circle, member = flow
    subject = Subject(plugin="example")
    db.session.add(subject)
    db.session.commit()
    login(client, member)
    url = f"/essai/sujets/{subject.id}"
    empty = client.post(url, data={**browser_fields(client, url), "body": "  \n "})
    assert empty.status_code == 422 and title(empty).startswith("Erreur :")
    shown = raw(empty)
    assert re.search(r'<textarea id="comment-body"[^>]*aria-invalid="true"[^>]*aria-describedby="comment-body-error"',
                     shown)
    assert re.search(r'id="comment-body-error">Le commentaire est vide\.', shown)
    assert '<a href="#comment-body">' in shown
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0

    long = "Trop long " * 600
    refused = client.post(url, data={**browser_fields(client, url), "body": long})
    assert refused.status_code == 422 and long.strip() in text(refused)  # what was typed, in its field
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0

    assert client.post(url, data={**browser_fields(client, url), "body": "Bonne idée"}).status_code == 302
    first = db.session.scalar(db.select(Comment.id))
    reply = client.post(url, data={**browser_fields(client, url), "body": "", "parent_id": str(first)})
    assert reply.status_code == 422
    shown = raw(reply)
    # The reply's own box is open, with its message under it.
    assert re.search(rf'<details open><summary>[^<]*</summary>\s*<form[^>]*>.*?id="reply-{first}-error"', shown, re.S)
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_hiding_a_comment_asks_first_without_javascript(app, client, flow):
    _circle, member = flow
    subject = Subject(plugin="example")
    db.session.add(subject)
    db.session.flush()
    comment = Comment(subject_id=subject.id, author_id=member.id, body="Texte", body_html="<p>Texte</p>")
    db.session.add(comment)
    db.session.commit()
    login(client, member)
    page = raw(client.get(f"/essai/sujets/{subject.id}"))
    # The first button only opens the question; the form that hides is inside it, with its second button.
    hide = re.search(r'<details class="confirm"><summary>Masquer</summary>(.*?)</details>', page, re.S)
    assert hide, page
    assert f'action="/essai/sujets/{subject.id}/{comment.id}/moderation"' in hide.group(1)
    assert "Masquer ce commentaire ?" in html.unescape(hide.group(1))
    assert "Oui, masquer ce commentaire" in html.unescape(hide.group(1))
    assert page.count("/moderation") == 1  # no hiding button outside the question


def test_removing_an_agenda_item_asks_first_on_its_own_page(app, client, make):
    commune = make.commune()
    assembly = make.assembly(commune)
    facilitator = make.user()
    make.role(facilitator, "facilitator", commune=commune)
    item = AgendaItem(assembly_id=assembly.id, position=0, title="Plénière d'ouverture", kind="pleniere")
    db.session.add(item)
    db.session.commit()
    login(client, facilitator)
    agenda = client.get(f"/assemblees/{assembly.id}/ordre-du-jour").get_data(as_text=True)
    delete_url = f"/assemblees/{assembly.id}/ordre-du-jour/{item.id}/supprimer"
    assert f'<a href="{delete_url}"' in agenda and f'action="{delete_url}"' not in agenda  # a link, not the action
    question = client.get(delete_url)
    assert question.status_code == 200
    assert "Retirer « Plénière d'ouverture » de l'ordre du jour" in text(question)
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 1  # asking removed nothing
    assert client.post(delete_url, data={"csrf_token": csrf_token(client, delete_url)}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 0


def test_the_last_administrator_is_kept_on_the_members_page_itself(app, client, make):
    commune = make.commune()
    admin = make.user("Dernière")
    role = make.role(admin, "admin", commune=commune)
    login(client, admin)
    members = f"/communes/{commune.slug}/membres"
    # Withdrawing a role asks first: its form (and second button) sits inside a <details>.
    page = raw(client.get(members))
    question = re.search(r'<details class="confirm"><summary>(.*?)</details>', page, re.S)
    assert question and f'action="{members}/roles/{role.id}/retirer"' in question.group(1)
    assert "Oui, retirer le rôle" in html.unescape(question.group(1))
    assert page.count(f'action="{members}/roles/{role.id}/retirer"') == 1
    refused = client.post(f"{members}/roles/{role.id}/retirer", data={"csrf_token": csrf_token(client, members)})
    assert refused.status_code == 409 and title(refused).startswith("Erreur :")
    page = text(refused)
    assert "Une commune garde toujours au moins une personne pour l'administrer." in page
    assert "Dernière" in page and "Proposer un rôle" in page  # the members page, not a bare error page


def test_a_lazy_string_is_escaped_like_any_string(app):
    from flask import render_template_string as render
    from flask_babel import lazy_gettext

    with app.test_request_context():
        label = lazy_gettext("Results of « %(question)s » (CSV)", question='<script>alert("x")</script>')
        shown = render("{{ label }}", label=label)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
