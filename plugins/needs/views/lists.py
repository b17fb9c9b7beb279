"""The commune's categories and communities, edited by its facilitators."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext as _

from convergence.refusal import Refused
from convergence.web.handlers import route

from .. import lists
from ..forms import ListEntryForm
from .base import CommunePage, bp


@route(bp, "/communes/<slug>/besoins/listes", "edit_lists", methods=("GET", "POST"))
class EditLists(CommunePage):
    permission = "needs.facilitate"
    posts = "ListEntryForm"  # the form sent; the other list's form stays empty

    def get(self):
        return self.render()

    def post(self):
        form = self.form(ListEntryForm)
        if form.kind.data not in lists.EDITABLE:
            raise Refused(_("Unknown list."), 400)
        if not form.validate():
            return self.invalid()
        lists.save_entry(self.commune, form.kind.data, form.code.data, form.label.data)
        flash(_("The list has been saved."), "success")
        return redirect(self.to("needs.edit_lists"))

    def render(self):
        sent = self.form(ListEntryForm)
        forms = {kind: sent if sent.kind.data == kind else self.form(ListEntryForm, name=kind)
                 for kind in lists.EDITABLE}
        found = lists.of(self.commune)
        return self.page("needs/lists.html", sections=[
            ("category", _("Categories"), found.categories, forms["category"]),
            ("community", _("Communities"), found.communities, forms["community"])])
