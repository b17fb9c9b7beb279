"""Password checks that take as long for an unknown address as for a known one."""

from __future__ import annotations

import secrets
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from ..models import User


@cache
def _stand_in_hash() -> str:
    # The same method and cost as real accounts (User.set_password), built once per process.
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def password_matches(user: User | None, password: str) -> bool:
    """One hash computed whether or not ``user`` exists, so the answer's timing does not
    tell whether an address has an account."""
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return False
    return user.check_password(password)
