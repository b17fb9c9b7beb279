"""The commune's needs as open data (CSV, GeoJSON), and the CSV import of needs."""

from __future__ import annotations

import json

from flask import Response, flash, redirect
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from convergence import audit
from convergence.web import replay
from convergence.web.csv_export import csv_response
from convergence.web.handlers import route

from .. import csv_import, open_data, reporting
from ..forms import ImportForm
from .base import CommunePage, bp
from .listing import Filtered


@route(bp, "/communes/<slug>/besoins/export.csv", "export_csv")
class ExportCsv(Filtered):
    def get(self):
        return csv_response(open_data.CSV_HEADER, open_data.csv_rows(self.commune, self.filters()),
                            f"besoins-{self.commune.slug}.csv")


@route(bp, "/communes/<slug>/besoins/export.geojson", "export_geojson")
class ExportGeojson(Filtered):
    def get(self):
        return Response(json.dumps(open_data.geojson(self.commune, self.filters()), ensure_ascii=False),
                        mimetype="application/geo+json",
                        headers={"Content-Disposition": f'attachment; filename="besoins-{self.commune.slug}.geojson"'})


@route(bp, "/communes/<slug>/besoins/import", "import_csv", methods=("GET", "POST"))
class Import(CommunePage):
    permission = "needs.facilitate"

    def get(self):
        return self.render()

    def post(self):
        form = self.form(ImportForm)
        form.validate()  # the CSRF token; the file is checked line by line below
        self.problems, needs = csv_import.parse(self.commune, form.file.data)
        if self.problems:  # nothing read is saved: all or nothing
            return self.invalid()
        replay.claim(self.to("needs.index"))
        reporting.record_reported(needs, current_user)
        audit.record("needs.import", commune_id=self.commune.id, target=f"commune:{self.commune.id}",
                     count=len(needs))
        flash(ngettext("%(num)d need imported.", "%(num)d needs imported.", len(needs)), "success")
        return redirect(self.to("needs.index"))

    def render(self):
        return self.page("needs/import.html", form=self.form(ImportForm), problems=getattr(self, "problems", []),
                         columns=csv_import.COLUMNS)
