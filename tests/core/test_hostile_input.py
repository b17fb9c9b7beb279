"""Hostile values in every route's parameters and every form's fields (hypothesis).

The French demo is loaded and its administrator logged in, then the site is crawled from
the home page like a browser would: that gives, for every route, real values of its
parameters, and every form the pages show. Two properties are then driven by hypothesis:

- any route, with some of its parameters (and query arguments) replaced by hostile values
  — integers beyond PostgreSQL's range, NUL and other control characters, Unicode digits,
  numbers of thousands of digits, long strings — never answers 5xx;
- any form, posted with hostile text in some of its fields (or without some of them),
  never answers 5xx.

Both check that a refused request (4xx) wrote nothing: the number of rows of every table
is the same before and after. Error pages must be the platform's own (French, with the
security headers). Runs on PostgreSQL and on SQLite.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from tests.fixtures import CSRF_RE, _empty_all_tables, make_test_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 250  # per property: about 15 s each per database on the shared 2-core machine
PAGES_PER_ENDPOINT = 4
MAX_PAGES = 300
# Tables whose purpose is to record refused requests (failed logins feed the throttle).
RECORDS_REFUSALS = {"login_throttles"}
# Never posted: they end the session the whole test runs in, or change its language.
SESSION_ENDPOINTS = {"accounts.logout", "web.set_language"}
# Never read: an event stream does not end.
ENDLESS = re.compile(r"/direct$")
PARAMETER = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")  # <int:vote_id>, <slug>

HOSTILE_NUMBERS = ["2147483648", "2147483647", "9" * 25, "9" * 4400, "-1", "0", "00", "²", "١٢", "１",
                   "1e400", "nan", "inf", "0x10", "1_000", " 7 ", "٣"]
HOSTILE_TEXT = ["", " ", "\x00", "a\x00b", "\x1b[31m", "\x7f", "%00", "x" * 121, "x" * 201, "é" * 300,
                "x" * 20001, "<script>alert(1)</script>", "'; DROP TABLE users; --", "../../etc/passwd",
                "\u202e\ufeff", "\U0001F600" * 50, "\ud7ff", "-", "#", "all",
                "0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01", "2026-02-30T10:00", "24:00", "00:00"]
hostile_number = st.sampled_from(HOSTILE_NUMBERS)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT), hostile_number,
    st.text(max_size=40),  # any Unicode, control characters included
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300),
)


# -- the site, as a browser sees it ------------------------------------------------------

@dataclass
class Form:
    visitor: str  # who saw it: "admin" or "anonymous"
    page: str
    action: str
    method: str
    fields: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # name, kind, value, options


class PageReader(HTMLParser):
    """Links and forms of one page."""

    def __init__(self, visitor: str, page: str):
        super().__init__(convert_charrefs=True)
        self.visitor, self.page = visitor, page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        elif tag == "form":
            self._form = Form(self.visitor, self.page, attrs.get("action") or self.page,
                              attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag in ("input", "button"):
            kind = attrs.get("type", "text" if tag == "input" else "submit")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                kind = "unchecked-" + kind
            self._form.fields.append((attrs["name"], kind, attrs.get("value", ""), []))
        elif tag == "select":
            self._select = [attrs["name"], "select", None, []]
        elif tag == "option" and self._select is not None:
            self._select[3].append(attrs.get("value", ""))
            if self._select[2] is None or "selected" in attrs:
                self._select[2] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = [attrs["name"], "textarea", "", []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select[0], "select", self._select[2] or "", self._select[3]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append(tuple(self._textarea))
            self._textarea = None


class Site:
    def __init__(self, app):
        self.app = app
        self.clients: dict[str, object] = {}  # visitor -> their browser
        self.csrf: dict[str, str] = {}
        self.adapter = app.url_map.bind("localhost")
        self.examples: dict[str, list[dict]] = defaultdict(list)  # endpoint -> real parameter values
        self.forms: dict[tuple, Form] = {}
        self.query_names: set[str] = set(_query_names_in_the_code())

    def crawl(self, visitor: str, client, start: list[str]) -> None:
        self.clients[visitor] = client
        queue, seen, per_endpoint, fetched = list(start), set(), defaultdict(int), 0
        while queue and fetched < MAX_PAGES:
            url = queue.pop(0)
            if url in seen or ENDLESS.search(urlsplit(url).path):
                continue
            seen.add(url)
            parts = urlsplit(url)
            try:
                endpoint, values = self.adapter.match(parts.path, method="GET")
            except Exception:
                continue
            if per_endpoint[endpoint] >= PAGES_PER_ENDPOINT or endpoint.endswith("static"):
                continue
            per_endpoint[endpoint] += 1
            fetched += 1
            self.examples[endpoint].append(values)
            self.query_names.update(name for name, _v in parse_qsl(parts.query))
            response = client.get(url)
            if not response.content_type.startswith("text/html"):
                continue
            text = response.get_data(as_text=True)
            match = CSRF_RE.search(response.data)
            if match:
                self.csrf[visitor] = (match.group(1) or match.group(2)).decode()
            reader = PageReader(visitor, parts.path)
            reader.feed(text)
            queue += reader.links
            for form in reader.forms:
                key = (visitor, form.method, _rule_of(self.adapter, form), tuple(sorted(f[0] for f in form.fields)))
                self.forms.setdefault(key, form)
                if form.method == "post":
                    try:
                        endpoint, values = self.adapter.match(urlsplit(form.action).path, method="POST")
                        self.examples[endpoint].append(values)
                    except Exception:
                        pass
        assert self.csrf.get(visitor), "no page gave a CSRF token"

    def rules(self):
        return sorted((rule for rule in self.app.url_map.iter_rules()
                       if rule.endpoint not in SESSION_ENDPOINTS and not rule.endpoint.endswith("static")),
                      key=lambda rule: rule.rule)


def _rule_of(adapter, form: Form) -> str:
    try:
        return adapter.match(urlsplit(form.action).path, method=form.method.upper())[0]
    except Exception:
        return form.action


def _query_names_in_the_code() -> set[str]:
    pattern = re.compile(r"""args(?:\.get|\.getlist)?[\(\[]["']([a-z_]+)["']""")
    names = set()
    for folder in ("convergence", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            names.update(pattern.findall(path.read_text()))
    return names


# -- what must hold ---------------------------------------------------------------------

def row_counts(app) -> dict[str, int]:
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in RECORDS_REFUSALS]
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    with db.engine.connect() as connection:
        return dict(connection.execute(sa.text(query)).all())


def check(app, what: str, send):
    before = row_counts(app)
    response = send()
    status = response.status_code
    body = response.get_data(as_text=True)[:600] if not ENDLESS.search(what) else ""
    response.close()
    assert status < 500, f"{what} answered {status}: {body}"
    if 400 <= status < 500:
        assert row_counts(app) == before, f"{what} was refused ({status}) but wrote rows"
        assert "Content-Security-Policy" in response.headers, f"{what}: error page without security headers"
        if response.content_type.startswith("text/html"):
            assert '<html lang="fr">' in body, f"{what}: the error page is not ours, in French: {body}"
    return status


# -- the properties ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(test_database_url):
    """One app and one crawl for both properties (the crawl is most of the time)."""
    app = make_test_app(test_database_url)
    with app.app_context():
        try:
            yield app
        finally:
            _empty_all_tables(app)


@pytest.fixture(scope="module")
def site(app):
    from convergence import demo
    from werkzeug.security import generate_password_hash

    from convergence.models import Invitation, User
    from tests.fixtures import csrf_token

    with app.test_request_context(), pytest.MonkeyPatch.context() as patch:
        # The tests' cheap hash (see Factory.user): the demo's 24 scrypt hashes take seconds.
        patch.setattr(User, "set_password", lambda user, password: setattr(
            user, "password_hash", generate_password_hash(password, method="pbkdf2:sha256:1000")))
        demo.load("mot-de-passe-demo-1")
        _add_what_the_demo_lacks()
    invitation = db.session.scalars(db.select(Invitation)).first()
    db.session.remove()
    site = Site(app)
    # A visitor without an account first: the login, registration and reset forms.
    site.crawl("anonymous", app.test_client(), ["/compte/connexion", "/compte/inscription", "/compte/mot-de-passe",
                                                f"/i/{invitation.token}"])
    admin = app.test_client()
    response = admin.post("/compte/connexion", data={
        "email": f"admin@{demo.DOMAIN}", "password": "mot-de-passe-demo-1",
        "csrf_token": csrf_token(admin, "/compte/connexion")})
    assert response.status_code == 302
    site.crawl("admin", admin, ["/", f"/communes/{demo.SLUG}", "/compte/profil", f"/invitations/{invitation.id}"])
    assert len(site.examples) > 70 and len(site.forms) > 50, (sorted(site.examples), len(site.forms))
    return site


def _add_what_the_demo_lacks() -> None:
    """Votes in every state, needs and an invitation: pages the crawl must reach."""
    import secrets

    from convergence.models import Assembly, Circle, Commune, Invitation, User
    from convergence.models.base import utcnow
    from plugins.mj import api as mj
    from plugins.needs import api as services
    from plugins.needs.models import Category, Need

    assembly = db.session.scalars(db.select(Assembly).order_by(Assembly.id)).first()
    circle = db.session.scalars(db.select(Circle).order_by(Circle.id)).first()
    commune = db.session.get(Commune, assembly.commune_id)
    admin = db.session.scalar(db.select(User).where(User.is_admin))
    mj.create_vote(assembly, "Quel nom pour la cantine ?", ["La Marmite", "Le Potager", "Chez nous"],
                   opens_at=utcnow(), live_results=True)
    mj.create_vote(circle=circle, question="Jardin ou verger ?", options=["Jardin", "Verger"], opens_at=utcnow())
    by_code = mj.create_vote(assembly, "Horaires du marché", ["Matin", "Soir"], voters="codes", opens_at=utcnow())
    mj.create_codes(by_code, 3)
    closed = mj.create_vote(assembly, "Couleur des bancs", ["Bleu", "Vert"], opens_at=utcnow())
    mj.add_paper_batch(closed, {option.id: [1] * closed.n_grades for option in closed.options}, label="Urne 1")
    mj.close_vote(closed)
    mj.create_vote(assembly, "Pas encore ouvert", ["Oui", "Non"])
    services.ensure_defaults(commune)
    category = db.session.scalars(db.select(Category).where(Category.commune_id == commune.id)).first()
    for title in ("Jardin partagé rue de la Gare", "Local pour la ressourcerie"):
        db.session.add(Need(commune_id=commune.id, category_id=category.id, title=title, author_id=admin.id))
    db.session.add(Invitation(token=secrets.token_urlsafe(16), space_id=assembly.space_id, created_by_id=admin.id))
    db.session.commit()


def _url(rule, values: dict) -> str:
    return PARAMETER.sub(lambda m: quote(values[m.group(2)], safe=""), rule.rule)


def _value_strategy(rule, name: str):
    converters = {m.group(2): m.group(1) for m in PARAMETER.finditer(rule.rule)}
    return hostile_number if converters.get(name) in ("int", "float") else hostile_text


@st.composite
def hostile_request(draw, site):
    rule = draw(st.sampled_from(site.rules()))
    real = [{k: str(v) for k, v in example.items()} for example in site.examples.get(rule.endpoint, [])]
    values = dict(draw(st.sampled_from(real))) if real else {}
    names = sorted(rule.arguments)
    replaced = draw(st.sets(st.sampled_from(names), min_size=0 if real else len(names))) if names else set()
    for name in names:
        if name in replaced or name not in values:
            values[name] = draw(_value_strategy(rule, name))
    query = draw(st.dictionaries(st.sampled_from(sorted(site.query_names)), hostile_text, max_size=3))
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    visitor = draw(st.sampled_from(["admin", "admin", "anonymous"]))
    return visitor, method, _url(rule, values), query


@st.composite
def hostile_form(draw, site):
    form = draw(st.sampled_from([site.forms[key] for key in sorted(site.forms)
                                 if _rule_of(site.adapter, site.forms[key]) not in SESSION_ENDPOINTS]))
    data, files = [], {}
    for name, kind, value, _options in form.fields:
        if name == "csrf_token":
            data.append((name, site.csrf[form.visitor]))
            continue
        choice = draw(st.sampled_from(["keep", "hostile", "hostile", "omit"]))
        if choice == "omit" or (choice == "keep" and kind.startswith("unchecked")):
            continue
        typed = value if choice == "keep" else draw(hostile_text)
        if kind == "file":
            files[name] = (io.BytesIO(typed.encode("utf-8", "surrogatepass")), "liste.csv")
        else:
            data.append((name, typed))
    return form, data, files


def _send_form(client, form: Form, data, files):
    if form.method == "get":
        return client.get(form.action, query_string=data)
    if files:
        merged = dict(data)
        merged.update(files)
        return client.post(form.action, data=merged, content_type="multipart/form-data")
    return client.post(form.action, data=urlencode(data, encoding="utf-8", errors="surrogatepass"),
                       content_type="application/x-www-form-urlencoded")


PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_no_route_fails_on_hostile_parameters(app, site):
    @PROPERTY
    @given(st.data())
    def every_route(data):
        visitor, method, url, query = data.draw(hostile_request(site))
        client = site.clients[visitor]
        if method == "POST":
            check(app, f"POST {url} {query}", lambda: client.post(
                url, data={"csrf_token": site.csrf[visitor], **query}))
        else:
            check(app, f"GET {url} {query}", lambda: client.get(url, query_string=query))

    every_route()


def test_no_form_fails_on_hostile_fields(app, site):
    @PROPERTY
    @given(st.data())
    def every_form(data):
        form, fields, files = data.draw(hostile_form(site))
        check(app, f"{form.method.upper()} {form.action} (a form of {form.page}, {form.visitor}) with {fields!r:.400}",
              lambda: _send_form(site.clients[form.visitor], form, fields, files))

    every_form()
