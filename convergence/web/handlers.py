"""The one request flow of every page, in the core and in every plug-in.

A handler is a small class; the flow is :meth:`Handler.dispatch_request`, and every
handler reads the same way because it only fills the steps in:

1. ``load(**url_values)`` — fetch what the URL names (404 when it is not there) and
   return the space it lives in (a commune, an assembly, a circle …);
2. the feature named by ``feature`` must be switched on in that space (404 otherwise:
   a tool switched off is not there for the visitor);
3. ``check_access()`` — by default ``require(permission, target)`` (and
   ``post_permission`` for a writing request) through
   convergence/permissions.py, the one place where access is decided;
4. ``get()`` / ``post()`` — the work, which raises :class:`~convergence.refusal.Refused`
   to refuse with a message;
5. render — a page, a redirect, a download (:func:`convergence.web.downloads.download`).

Commits happen here and nowhere else: after a successful POST (or PUT, DELETE) the flow
commits once, so a service never commits and a refused action writes nothing (the
session is rolled back before the page is drawn again). A handler whose work runs its
own transaction — ballot casting retries a serialisation failure — says so with
``commits = False``.

A refusal re-renders the handler's own page: :meth:`Handler.render` draws it with the
forms bound to what the person sent (:meth:`Handler.form`), and ``g.refusal`` puts the
message at the top of the page (base.html), with the refusal's status (409, 422, 403).
Never a bare error page for something the person can correct or understand.

Routes are declared with :func:`route`::

    @route(bp, "/propositions/<int:proposal_id>/statut", "set_status", methods=("POST",))
    class SetStatus(ProposalPage):
        def post(self):
            form = self.form(StatusForm)
            if not form.validate():
                return self.invalid()
            drafting.set_status(self.proposal, form.status.data, form.reason.data)
            return self.back()
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import abort, current_app, g, request
from flask.views import View
from flask_login import current_user

from ..extensions import db
from ..refusal import Refused

WRITING = frozenset(("POST", "PUT", "PATCH", "DELETE"))


class Handler(View):
    """One request of one page. Subclasses set ``feature``, ``permission``, and define
    ``load``, ``get`` and/or ``post``, and ``render`` when a refusal or an invalid form is
    to redraw the page."""

    #: The plug-in (feature) that must be switched on in the loaded space, or None.
    feature: str | None = None
    #: The rule of convergence/permissions.py the person must pass, or None.
    permission: str | None = None
    #: The rule for writing requests only: a page anyone may read where sending its form
    #: takes a right (leaving a greeting, reporting a need).
    post_permission: str | None = None
    #: Whether the flow commits after a successful writing request.
    commits: bool = True
    #: Whether only a signed-in person may open the page (others are sent to log in, as
    #: ``flask_login.login_required`` does), before any rule is asked.
    login_required: bool = False

    def __init__(self) -> None:
        self.space = None
        self._forms: dict[str, object] = {}

    # -- the flow ----------------------------------------------------------------------
    def dispatch_request(self, **url_values):
        self.space = self.load(**url_values)
        if self.feature is not None and not self._switched_on():
            abort(404)
        method = request.method.lower()
        work = getattr(self, "get" if method == "head" else method, None)
        if work is None:
            abort(405)
        try:
            # A rule may refuse with a message too (a round closed meanwhile): same page.
            self.check_access()
            response = work()
            if self.commits and request.method in WRITING:
                db.session.commit()
            return response
        except Refused as refusal:
            db.session.rollback()
            return self.refused(refusal)

    # -- the steps, to fill in ---------------------------------------------------------
    def load(self, **url_values):
        """Fetch what the URL names (404 when absent); return its space (or None)."""
        return None

    def access_target(self):
        """What ``permission`` is asked about: the loaded space unless said otherwise."""
        return self.space

    def check_access(self) -> None:
        from ..permissions import require

        if self.login_required and not current_user.is_authenticated:
            abort(current_app.login_manager.unauthorized())
        if self.permission is not None:
            require(self.permission, self.access_target())
        if self.post_permission is not None and request.method in WRITING:
            require(self.post_permission, self.access_target())

    def render(self):
        """Draw this handler's page with ``self.form(...)`` forms. Needed by any handler
        that can refuse or find a form invalid; a handler without a page of its own
        (a button's POST) points ``render`` at the page the button is on."""
        raise NotImplementedError(f"{type(self).__name__} has no page to draw again")

    # -- helpers -----------------------------------------------------------------------
    def form(self, form_class, name: str | None = None, **options):
        """The form ``form_class`` of this page: bound to what was sent when this request
        sent it, otherwise empty (or filled from ``obj=``/``data=`` in ``options``, given to
        the form's constructor). The same instance for the whole request, so the page
        drawn again after a refusal shows what the person typed."""
        key = name or form_class.__name__
        if key not in self._forms:
            sent = self._sent(form_class, key)
            self._forms[key] = form_class(**options) if sent else form_class(formdata=None, **options)
        return self._forms[key]

    def _sent(self, form_class, key: str) -> bool:
        if request.method not in WRITING:
            return False
        # A page with several forms: the one posted is the one this handler names
        # (``posts``), or the only one the handler asks for while handling the POST.
        posts = getattr(self, "posts", None)
        return posts is None or key in ((posts,) if isinstance(posts, str) else posts)

    def invalid(self, status: int = 422):
        """The page again, with the fields' messages (a form did not validate)."""
        g.page_error = True  # base.html: the title starts « Erreur : »
        return self._with_status(self.render(), status)

    def refused(self, refusal: Refused):
        """The page again with the refusal's message at its top — or next to the field it
        is about (:meth:`refusals_at`) — and what was typed."""
        field = getattr(refusal, "field", None)
        if field is not None:
            if refusal.message not in field.errors:  # listed by the form's error summary
                field.errors = [*field.errors, refusal.message]
        else:
            g.refusal = refusal
        g.page_error = refusal
        return self._with_status(self.render(), refusal.status)

    @contextmanager
    def refusals_at(self, field):
        """Inside this block a :class:`Refused` is about ``field`` of a form: the page
        drawn again shows its message next to that field (still rolled back, still its
        status)."""
        try:
            yield
        except Refused as refusal:
            refusal.field = field
            raise

    def _switched_on(self) -> bool:
        from ..features import is_active

        return self.space is not None and is_active(self.space, self.feature)

    @staticmethod
    def _with_status(page, status: int):
        if isinstance(page, tuple):
            page = page[0]
        return page, status


def route(blueprint, rule: str, endpoint: str, methods=("GET",), **options):
    """Register a :class:`Handler` class on ``blueprint`` (a decorator)."""

    def register(handler: type[Handler]) -> type[Handler]:
        view = handler.as_view(endpoint)
        view.methods = set(methods) | ({"HEAD"} if "GET" in methods else set())
        blueprint.add_url_rule(rule, view_func=view, **options)
        return handler

    return register
