"""The two shapes most core pages share, on top of the one request flow (handlers.py):
a page of one form, and a page of one commune."""

from __future__ import annotations

from flask import render_template

from ..loaders import commune_or_404
from .handlers import Handler


class FormPage(Handler):
    """A page of one form: a GET draws it, a POST validates it and hands it to ``save``
    (which may still add a field's message and ``return self.invalid()``)."""

    form_class = None
    template = ""

    def page_form(self):
        """This page's form (override to fill it from an object: ``obj=``)."""
        return self.form(self.form_class)

    def context(self) -> dict:
        """What the template needs besides the form."""
        return {}

    def get(self):
        return self.render()

    def post(self):
        form = self.page_form()
        if not form.validate():
            return self.invalid()
        return self.save(form)

    def save(self, form):
        raise NotImplementedError

    def render(self):
        return render_template(self.template, form=self.page_form(), **self.context())


class CommunePage(Handler):
    """A page of one commune, named by its short address."""

    def load(self, slug: str, **_rest):
        self.commune = commune_or_404(slug)
        return self.commune
