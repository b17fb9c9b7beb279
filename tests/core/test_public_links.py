"""Absolute links come from PUBLIC_URL, never from the request's Host header: reset mails,
invitation links, QR codes (core and plug-ins), and the shipped nginx refuses other hosts."""

from __future__ import annotations

import re
from pathlib import Path

from convergence.extensions import db
from convergence.invitations.qr import qr_svg
from convergence.models import Invitation
from tests.fixtures import PASSWORD, make_test_app

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://convergence.example.org"
FORGED = "http://evil.example"  # the client sends Host: evil.example


def public_app(test_database_url):
    return make_test_app(test_database_url, PUBLIC_URL=PUBLIC, SESSION_COOKIE_SECURE=False)


def token_from(client, path: str) -> str:
    page = client.get(path, base_url=FORGED).data
    return re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1).decode()


def test_a_reset_asked_with_a_forged_host_mails_a_link_to_the_public_address(test_database_url, make):
    app = public_app(test_database_url)
    with app.app_context():
        user = make.user()
        client = app.test_client()
        response = client.post("/compte/mot-de-passe", base_url=FORGED, data={
            "email": user.email, "csrf_token": token_from(client, "/compte/mot-de-passe")})
        assert response.status_code == 302
        body = app.extensions["convergence.outbox"][-1].get_content()
        assert "evil.example" not in body
        assert re.search(rf"^{re.escape(PUBLIC)}/compte/mot-de-passe/\S+$", body, re.M), body


def test_invitation_links_and_qr_codes_follow_the_public_address(test_database_url, make):
    app = public_app(test_database_url)
    with app.app_context():
        commune = make.commune()
        assembly = make.assembly(commune)
        facilitator = make.user()
        make.role(facilitator, "facilitator", assembly=assembly)
        invitation = Invitation(token="salle-des-fetes", space_id=assembly.space_id, role="resident")
        db.session.add(invitation)
        db.session.commit()
        client = app.test_client()
        client.post("/compte/connexion", base_url=FORGED, data={
            "email": facilitator.email, "password": PASSWORD, "csrf_token": token_from(client, "/compte/connexion")})
        expected = f"{PUBLIC}/i/salle-des-fetes"
        for path in (f"/invitations/{invitation.id}", f"/assemblees/{assembly.id}/projection"):
            page = client.get(path, base_url=FORGED).get_data(as_text=True)
            assert expected in page and "evil.example" not in page, path
        qr = client.get(f"/invitations/{invitation.id}/qr.svg", base_url=FORGED)
        assert qr.get_data(as_text=True) == qr_svg(expected)


def test_no_code_builds_an_absolute_link_from_the_request():
    offenders = []
    for folder in ("convergence", "plugins"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html"} and path.is_file():
                text = path.read_text(encoding="utf-8")
                for pattern in (r"(?<!\w)_external\s*=\s*True", r"\burl_root\b", r"\bhost_url\b", r"request\.host\b"):
                    if re.search(pattern, text):
                        offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offenders == []


def test_the_shipped_nginx_refuses_unknown_hosts():
    conf = (ROOT / "deploy/nginx/convergence.conf").read_text()
    servers = re.findall(r"^server \{\n(.*?)^\}", conf, re.M | re.S)
    catch_all = [s for s in servers if "default_server" in s]
    assert catch_all, "no default_server block"
    for server in catch_all:
        assert re.search(r"^\s*return 444;", server, re.M)
    assert any("listen 443" in s and "ssl_reject_handshake on;" in s for s in catch_all)
    assert any(re.search(r"listen 80 default_server", s) for s in catch_all)
    for server in servers:
        if "default_server" not in server:
            assert re.search(r"server_name convergence\.example\.org;", server)
