"""What hostile-input tests send (hypothesis strategies): numbers no browser types, control
bytes, texts far too long, blanks, and choices no form offers. Shared by every plug-in's
``test_hostile_input.py``; each asserts a 4xx, a French page and nothing written."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

hostile = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])

_OTHER_DIGITS = st.characters(whitelist_categories=["Nd"], blacklist_characters="0123456789")
BAD_NUMBER = st.one_of(
    st.integers(min_value=2**31).map(str),  # beyond PostgreSQL's INTEGER
    st.sampled_from([str(2**31), str(2**63), str(2**63 + 1), str(2**64), "9" * 100_000]),
    st.integers(max_value=-1).map(str),
    st.floats().map(repr),  # 1.5, nan, inf, 1e+300
    st.text(alphabet=_OTHER_DIGITS, min_size=1, max_size=6),  # ١٢, ۳, ५ …
    st.sampled_from(["²", "½", "١", "١٢", "１２", "0x1F", "1_000", "+3", "1 2", "5,0", "deux"]),
)
CONTROL = st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), st.sampled_from(["\x00", "\x01", "\x1b", "\x7f"]),
                    st.text(max_size=8))
HUGE = st.sampled_from(["x" * 100_000, "é" * 100_000, "9" * 100_000, "<b>" * 33_000])
BLANK = st.sampled_from(["", " ", "  \t ", "\r\n\r\n", "\u00a0", "\u3000 "])
BAD_TEXT = st.one_of(CONTROL, HUGE)


def unknown(*valid: str):
    """A value that is none of ``valid`` (a choice sent by no browser)."""
    return st.one_of(st.text(max_size=30), CONTROL, HUGE, st.sampled_from([v.upper() for v in valid] + [
        f" {v}" for v in valid] + ["None", "null", "[]", "0", "١"])).filter(lambda v: v not in valid)


# -- what every refusal must be -------------------------------------------------------------
#: What a page left to Flask, WTForms or Werkzeug says in English: never on a French page.
ENGLISH = ("Not a valid", "This field is required", "Invalid choice", "Field must", "Number must", "Invalid value",
           "could not be coerced", "Please correct", "is not a valid", "Bad Request", "Internal Server Error",
           "Something went wrong", "The form has expired")


def row_counts(prefixes: tuple[str, ...]) -> dict:
    """The number of rows of each table whose name starts with one of ``prefixes``."""
    from convergence.extensions import db

    db.session.rollback()
    return {t.name: db.session.scalar(db.select(db.func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name.startswith(prefixes)}


def refused_in_french(response, before: dict, prefixes: tuple[str, ...], *, kept: str | None = None) -> str:
    """A 4xx, a French page, no row added or removed in the ``prefixes`` tables since
    ``before``; ``kept``: a typed value the page shows again."""
    from convergence.testing.fixtures import visible_text

    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:400])
    html = response.get_data(as_text=True)
    assert 'lang="fr"' in html
    text = visible_text(response)
    assert not [w for w in ENGLISH if w in text], text[:600]
    assert row_counts(prefixes) == before
    if kept is not None and response.status_code in (409, 413, 422):
        assert kept in html
    return text
