"""A space's « Outils » page: which enabled plug-ins are switched on there.

One page for every kind of space (commune, assembly, circle, a plug-in's kind), decided by
``space.manage_features`` (convergence/permissions.py). Only a POST writes: switches, the
plug-ins' ``on_enabled``/``on_disabled``, the journal, in one transaction; the
``plugin-toggled`` signals follow the commit.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from .. import features
from ..extensions import db
from ..permissions import require
from ..spaces import space_of
from ..web.forms import ConfirmForm, require_confirmed_post


def tools_url(space) -> str:
    """The « Outils » page of a space (a Space or its owner)."""
    space = space_of(space)
    return space.kind_info.tools_url(space)


@login_required
def page(owner):
    space = space_of(owner)
    require("space.manage_features", space)
    available = features.available_plugins(space)
    status = 200
    wanted = None
    if request.method == "POST":
        require_confirmed_post()
        wanted = set(request.form.getlist("plugin")) & set(available)
        try:
            changes = features.switch(space, wanted)
        except features.SwitchRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            status = 422
        else:
            db.session.commit()
            features.announce(space, changes)
            flash(_("The tools have been updated."), "success")
            return redirect(tools_url(space))
    active = wanted if wanted is not None else features.active_plugin_names(space)
    return render_template("tools/page.html", space=space, owner=space.owner, available=available,
                           active=active, confirm=ConfirmForm()), status
