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
