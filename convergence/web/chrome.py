"""The frame of every page (the head's links, the header and its menu, the footer) as
``base.html`` draws it, gathered once per application, language and mount prefix.

Its texts and addresses never change between two pages in one language, but a template
looks each up again through a call of its own: a translation, an address, an icon, a menu
entry; some sixty calls for the frame alone, a tenth of the worker's CPU on the receipt of
a ballot, the hottest page (bench/README.md). Here they are found once; the template keeps
what depends on the request: who is logged in, the page the menu marks as current, the
form token, the address to come back to."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, request
from flask_babel import get_locale, gettext
from markupsafe import Markup

from .templating import icon, template_url_for

CHROME_KEY = "convergence.chrome"


def _(text: str) -> Markup:
    # A translation is trusted markup in templates (Jinja's i18n does the same): kept so.
    return Markup(gettext(text))


#: The menu's pages: endpoint, label, icon.
MENU = {
    "communes.index": (lambda: _("Communes"), "landmark"),
    "for_me.page": (lambda: _("For me"), "inbox"),
    "accounts.profile": (lambda: _("My profile"), "user"),
    "accounts.login": (lambda: _("Log in"), "log-in"),
    "accounts.register": (lambda: _("Create an account"), "user-plus"),
}


@dataclass(frozen=True)
class Chrome:
    name: Markup
    error_prefix: Markup
    favicon: str
    stylesheet: str
    live_script: str
    skip: Markup
    home: str
    logo: str
    menu_icons: Markup
    menu_label: Markup
    main_menu: Markup
    logout_url: str
    logout_icon: Markup
    logout_label: Markup
    language_url: str
    language_icon: Markup
    tagline: Markup
    personal_data_url: str
    personal_data: Markup
    #: endpoint → (the entry, the entry marked as the current page)
    entries: dict[str, tuple[Markup, Markup]] = field(default_factory=dict)

    def item(self, endpoint: str) -> Markup:
        """The menu's entry for ``endpoint``, marked when it is the page being shown."""
        plain, current = self.entries[endpoint]
        return current if request.endpoint == endpoint else plain


def _entry(endpoint: str, label, icon_name: str, current: bool) -> Markup:
    return Markup('<li><a href="{}"{}>{}<span>{}</span></a></li>').format(
        template_url_for(endpoint), Markup(' aria-current="page"') if current else "", icon(icon_name), label)


def _gather() -> Chrome:
    entries = {}
    for endpoint, (label, icon_name) in MENU.items():
        text = label()
        entries[endpoint] = (_entry(endpoint, text, icon_name, False), _entry(endpoint, text, icon_name, True))
    return Chrome(
        name=_("Convergence"), error_prefix=_("Error:"),
        favicon=template_url_for("static", filename="img/favicon.svg"),
        stylesheet=template_url_for("static", filename="css/convergence.css"),
        live_script=template_url_for("static", filename="js/live.js"),
        skip=_("Skip to content"), home=template_url_for("web.home"),
        logo=template_url_for("static", filename="img/logo.svg"),
        menu_icons=icon("menu", cls="icon-open") + icon("x", cls="icon-close"),
        menu_label=_("Menu"), main_menu=_("Main menu"),
        logout_url=template_url_for("accounts.logout"), logout_icon=icon("log-out"), logout_label=_("Log out"),
        language_url=template_url_for("web.set_language"), language_icon=icon("languages"),
        tagline=_("Convergence — a common tool for communal convergence assemblies."),
        personal_data_url=template_url_for("web.personal_data"), personal_data=_("Personal data"),
        entries=entries)


def chrome() -> Chrome:
    """The frame in the page's language, under the prefix the site is mounted at."""
    key = (str(get_locale()), request.script_root if request else "")
    kept = current_app.extensions.setdefault(CHROME_KEY, {})
    found = kept.get(key)
    if found is None:
        found = kept[key] = _gather()
    return found
