"""A plug-in with one page per assembly, filled into the assembly's navigation hook."""

from flask import Blueprint, abort, render_template, url_for

from convergence.loaders import assembly_or_404
from convergence.features import is_active
from convergence.plugin_engine import Plugin

bp = Blueprint("example", __name__, template_folder="templates")


@bp.get("/assemblees/<int:assembly_id>/exemple")
def hello(assembly_id: int):
    assembly = assembly_or_404(assembly_id)
    if not is_active(assembly, "example"):
        abort(404)
    return render_template("example/hello.html", assembly=assembly)


class ExamplePlugin(Plugin):
    name = "example"
    title = "Exemple"
    description = "Une page de démonstration dans chaque assemblée."

    def init(self):
        self.connect_hook("assembly-nav", self._nav)

    def _nav(self, assembly):
        return [("Exemple", url_for("example.hello", assembly_id=assembly.id))]

    def get_blueprints(self):
        return [bp]
