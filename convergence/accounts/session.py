from __future__ import annotations

from ..extensions import db
from ..models import User


def load_user(user_id: str):
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
