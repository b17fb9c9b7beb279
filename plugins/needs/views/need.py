"""A need's page and its buttons: « Moi aussi », a comment, and what facilitators do
(status, circle in charge, merging a duplicate). Each button's handler is the page's, so a
refusal or a form with errors draws the need's page again with what was typed."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence import audit
from convergence.extensions import db
from convergence.models import Circle
from convergence.participation import comments, history, links
from convergence.participation.refusal import AlreadySet
from convergence.permissions import can
from convergence.web import replay
from convergence.web.handlers import route

from .. import facilitation, participation
from ..forms import CircleForm, CommentForm, MergeForm, StatusForm, SupportForm
from ..models import Need
from .base import NeedPage, bp


@route(bp, "/communes/<slug>/besoins/<int:need_id>", "show")
class NeedShow(NeedPage):
    def get(self):
        if self.need.merged_into_id is not None:
            return redirect(url_for("needs.show", slug=self.commune.slug, need_id=self.need.merged_into_id), 301)
        return self.render()

    def circles(self) -> list[Circle]:
        if not hasattr(self, "_circles"):
            self._circles = db.session.scalars(db.select(Circle).where(Circle.commune_id == self.commune.id)
                                               .order_by(Circle.name)).all()
        return self._circles

    def find(self, number: int) -> Need | None:
        return db.session.scalar(db.select(Need).where(Need.id == number, Need.commune_id == self.commune.id))

    def render(self):
        need = self.need
        facilitate = can("needs.facilitate", self.commune)
        forms = {"comment_form": self.form(CommentForm)}
        if facilitate:
            status, circle = self.form(StatusForm), self.form(CircleForm).offer(self.circles())
            # Unsent, they show the need as it is.
            status.status.data = status.status.data or need.status
            circle.circle_id.data = circle.circle_id.data or str(need.circle_id or "")
            forms.update(status_form=status, circle_form=circle, merge_form=self.form(MergeForm))
        return self.page("needs/show.html", need=need, threads=comments.threads(need.subject_id),
                         history=history.of(need.subject_id), links=links.linked(need.subject_id),
                         supported=current_user.is_authenticated and participation.has_supported(need, current_user),
                         facilitate=facilitate, **forms)


class OnTheNeed(NeedShow):
    """A resident's button: its rule is asked about the need (a merged one takes nothing)."""

    def access_target(self):
        return self.need


@route(bp, "/communes/<slug>/besoins/<int:need_id>/soutien", "support", methods=("POST",))
class Support(OnTheNeed):
    permission = "needs.support"
    posts = "SupportForm"

    def post(self):
        form = self.form(SupportForm)
        form.validate()  # the CSRF token; the action is read by wanted()
        withdraw = form.wanted() == "withdraw"
        try:
            if withdraw:
                participation.withdraw_support(self.need, current_user)
            else:
                participation.add_support(self.need, current_user)
        except AlreadySet as already:  # as asked already, by this press's twin or an earlier one
            flash(already.message, "info")
            return self.back()
        flash(_("Your support has been withdrawn.") if withdraw else _("Your support has been counted."), "success")
        return self.back()


@route(bp, "/communes/<slug>/besoins/<int:need_id>/commentaires", "comment", methods=("POST",))
class Comment(OnTheNeed):
    permission = "needs.comment"
    posts = "CommentForm"

    def post(self):
        form = self.form(CommentForm)
        if not form.validate():
            return self.invalid()
        replay.claim(self.need_url("#commentaires"))
        participation.add_comment(self.need, current_user, form.body.data)
        return self.back("#commentaires")


class Facilitation(NeedShow):
    permission = "needs.facilitate"  # on the commune


@route(bp, "/communes/<slug>/besoins/<int:need_id>/statut", "set_status", methods=("POST",))
class SetStatus(Facilitation):
    posts = "StatusForm"

    def post(self):
        form = self.form(StatusForm)
        if not form.validate():
            return self.invalid()
        replay.claim(self.need_url())
        facilitation.set_status(self.need, form.status.data, form.reason.data, current_user)
        audit.record("needs.status", commune_id=self.commune.id, target=f"need:{self.need.id}",
                     status=self.need.status)
        flash(_("The status has been changed."), "success")
        return self.back()


@route(bp, "/communes/<slug>/besoins/<int:need_id>/cercle", "attach_circle", methods=("POST",))
class PutInCharge(Facilitation):
    posts = "CircleForm"

    def post(self):
        form = self.form(CircleForm).offer(self.circles())
        if not form.validate():
            return self.invalid()
        facilitation.put_in_charge(self.need, form.circle())
        flash(_("The circle has been saved."), "success")
        return self.back()


@route(bp, "/communes/<slug>/besoins/<int:need_id>/fusion", "merge", methods=("POST",))
class Merge(Facilitation):
    posts = "MergeForm"

    def post(self):
        form = self.form(MergeForm).offer(self.need, self.find)
        if not form.validate():
            return self.invalid()
        facilitation.merge(self.need, form.target, current_user)
        audit.record("needs.merge", commune_id=self.commune.id, target=f"need:{self.need.id}", into=form.target.id)
        flash(_("The duplicate has been merged."), "success")
        return self.back(need=form.target)
