"""What every budget page shares: the plug-in's switch (``feature``) and the process the
URL names, loaded with its space."""

from __future__ import annotations

from flask import abort, render_template

from convergence.extensions import db
from convergence.web.handlers import Handler

from ..models import NAME, Process


def process_or_404(process_id: int) -> Process:
    process = db.session.scalar(
        db.select(Process).where(Process.id == process_id).options(db.joinedload(Process.space)))
    if process is None:
        abort(404)
    return process


class BudgetPage(Handler):
    """A page of the plug-in: 404 where it is switched off."""

    feature = NAME


class ProcessPage(BudgetPage):
    """A page of one process (``/budgets/<process_id>/…``): the request flow checks the
    plug-in's switch in the process's space and the page's permission on the process."""

    def load(self, process_id: int, **_more):
        self.process = process_or_404(process_id)
        return self.process.space

    def access_target(self):
        return self.process

    def page(self, template: str, **context):
        return render_template(template, process=self.process, space=self.process.space, **context)
