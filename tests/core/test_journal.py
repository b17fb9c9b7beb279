"""The journal of decisions told in sentences, in the reader's language, from entries made
by the acts themselves; an act nobody describes still reads as words, never a crash."""

from __future__ import annotations

import re

from flask_login import login_user

from convergence import audit
from convergence.extensions import db
from convergence.models import AuditEntry
from tests.core.test_space_settings import _post_settings
from tests.fixtures import csrf_token, journal_acts, login

NNBSP = "\u202f"


def test_tools_switched_and_settings_changed_read_as_french_sentences(client, make):
    commune = make.commune("Belleville-sur-Meuse")
    assembly = make.assembly(commune, "Assemblée de janvier")
    admin = make.user("Camille Martin")
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    url = f"/assemblees/{assembly.id}/outils"
    assert _post_settings(client, url, "12").status_code == 302
    # Every box unticked but votes: proposals switched off.
    # (Participatory budgeting, offered in assemblies too, stays on: only proposals change.)
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "plugin": ["mj", "budget"]}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 2

    assert journal_acts(client, commune) == [
        "Camille Martin a désactivé l'outil « Propositions » dans « Assemblée de janvier ».",
        "Camille Martin a réglé « Soutiens nécessaires pour l'ordre du jour » de l'outil « Propositions » sur 12 "
        "dans « Assemblée de janvier ».",
    ]
    # The codes are gone from what is read (kept for machines in data-action).
    page = client.get(f"/communes/{commune.slug}/journal").data.decode()
    visible = re.sub(r"<[^>]+>", "", page)
    assert "plugin.switched" not in visible and "active=" not in visible and "plugin=" not in visible
    assert 'data-action="plugin.switched"' in page
    # French typography in the sentence itself.
    assert f"l'outil «{NNBSP}Propositions{NNBSP}»" in page.replace("&#39;", "'")


def test_the_same_journal_reads_in_english(client, make):
    commune = make.commune("Belleville-sur-Meuse")
    admin = make.user("Camille Martin")
    make.role(admin, "admin", commune=commune)
    login(client, admin)
    client.post("/langue", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    url = f"/communes/{commune.slug}/outils"
    # Participatory budgeting, also a commune's tool, stays on: only the needs map changes.
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "plugin": ["budget"]}).status_code == 302
    assert journal_acts(client, commune) == ["Camille Martin switched off the tool « Needs map » in « Belleville-sur-Meuse »."]


def test_an_act_nobody_describes_reads_as_its_code_and_details(app, client, make):
    commune = make.commune("Belleville-sur-Meuse")
    with app.test_request_context():
        audit.record("budget.envelope_set", commune_id=commune.id, target="Budget 2027", amount=50000)
        # An entry older than its sentence (no details at all) is still told.
        db.session.add(AuditEntry(action="role.withdrawn", commune_id=commune.id, target="Odile", details=None))
        db.session.commit()
    acts = journal_acts(client, commune)
    assert "La plateforme : acte « budget.envelope_set » — concernant « Budget 2027 » (amount : 50000)." in acts
    assert any(act.startswith("La plateforme a retiré le rôle") and act.endswith("à Odile.") for act in acts)


def test_an_erased_account_is_told_without_a_name(client, make):
    commune = make.commune("Belleville-sur-Meuse")
    admin = make.user("Camille Martin")
    make.role(admin, "admin", commune=commune)
    with client.application.test_request_context():
        login_user(admin)  # the act's author, as in the request that erases
        audit.record("account.erased", commune_id=commune.id, contributions="kept")
        audit.record("role.given", commune_id=commune.id, target="compte supprimé", role="guarantor")
        db.session.commit()
    # (Recorded in the same instant: their order on the page is not the point.)
    assert sorted(journal_acts(client, commune)) == [
        "Camille Martin a effacé un compte à la demande de la personne ; ses contributions restent, signées "
        "« compte supprimé ».",
        "Compte supprimé a accepté le rôle « Garant·e », proposé par invitation.",
    ]
