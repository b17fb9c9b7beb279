"""Examples for the French demo (hook ``demo-content``): on the assembly's « tour des
initiatives », the delegations as lists, a speaking list where Amina Benali has spoken
three minutes and three people wait (one without a phone, added by the facilitator), and
the item's notes in the minutes. Written through the plug-in's own services, as the
facilitator and the participants would; only the three minutes are set by hand (no time
passes while the demo loads)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.models import AgendaItem
from convergence.space_settings import write_settings

from . import minutes, speakers
from .plugin import NAME

DELEGATIONS = "Belleville-sur-Meuse, Commercy, Saillans"
NOTES = """Tour des initiatives ouvert par Camille Durand.

- **Belleville-sur-Meuse** présente sa cantine locale et le recensement des logements vacants.
- Les délégations demandent un temps commun sur l'eau, bien commun, dans l'après-midi."""
SPOKEN_SECONDS = 185


def load(assembly, users) -> list[str]:
    item = db.session.scalar(db.select(AgendaItem).where(AgendaItem.assembly_id == assembly.id)
                             .order_by(AgendaItem.position).offset(1).limit(1))
    if item is None:
        return []
    write_settings(assembly, NAME, {"lists": "unheard", "list_names": DELEGATIONS, "speaking_seconds": 300})
    speakers.ask(assembly, item, users["amina.benali"], "intervention", "Belleville-sur-Meuse")
    turn = speakers.give_floor(assembly, item)
    turn.started_at -= timedelta(seconds=SPOKEN_SECONDS)
    speakers.end_turn(assembly, item)
    turn.counted, turn.started_at = float(SPOKEN_SECONDS), turn.ended_at - timedelta(seconds=SPOKEN_SECONDS)
    speakers.ask(assembly, item, users["karim.haddad"], "intervention", "Belleville-sur-Meuse")
    speakers.ask(assembly, item, users["fatou.diallo"], "intervention", "Commercy")
    speakers.add_name(assembly, item, "Jeanne Perrin", "intervention", "Saillans")
    minutes.save_notes(assembly, item, users["camille.facilitatrice"], NOTES,
                       "Un atelier sur l'eau est ajouté à 16 h.")
    db.session.flush()
    return [_("Live facilitation: a speaking list on « %(item)s » (one turn spoken, three waiting) and its "
              "notes in the minutes.", item=item.title)]
