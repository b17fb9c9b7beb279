"""The balloting service's pure parts (receipts, register, adoption rule, the yes / no /
abstention method) and its eligibility rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from convergence.balloting import BY_CODES, InvalidBallot, may_vote, members_of, methods
from convergence.balloting import adoption, receipts, register
from convergence.balloting.yes_no import YesNoAbstention

YES_NO = YesNoAbstention()


# -- receipts and codes --------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=5))
def test_receipts_and_codes_are_read_back_as_typed_by_hand(_n):
    receipt, code = receipts.new_receipt(), receipts.new_code()
    assert receipts.normalise_receipt(receipt) == receipt and receipts.normalise_code(code) == code
    assert receipts.normalise_receipt(f"  {receipt.lower().replace('-', ' ')} ") == receipt
    sloppy = code.replace("0", "O").replace("1", "l")
    assert receipts.normalise_code(sloppy) == code
    assert len(receipt) == 14 and len(code) == 11


@given(st.text(max_size=30))
def test_anything_typed_is_a_receipt_or_nothing(text):
    normalised = receipts.normalise_receipt(text)
    assert normalised is None or (receipts.normalise_receipt(normalised) == normalised and len(normalised) == 14)


# -- the adoption rule ---------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10_000)


@given(counts, counts, counts)
def test_a_simple_majority_is_more_yes_than_no(yes, no, abstain):
    outcome = adoption.decide(yes, no, abstain)
    assert outcome.adopted == (yes > no)
    assert outcome.ballots == yes + no + abstain and outcome.quorum_reached


@given(counts, counts, counts)
def test_with_abstentions_counted_yes_must_outweigh_everything_else(yes, no, abstain):
    rule = adoption.AdoptionRule(base=adoption.CAST)
    assert adoption.decide(yes, no, abstain, rule).adopted == (yes > no + abstain)


@given(counts, counts, counts, st.integers(min_value=0, max_value=30_000))
def test_one_more_yes_never_rejects_and_a_quorum_is_needed(yes, no, abstain, quorum):
    rule = adoption.AdoptionRule(Fraction(2, 3), strict=False, quorum=quorum)
    before, after = adoption.decide(yes, no, abstain, rule), adoption.decide(yes + 1, no, abstain, rule)
    assert not before.adopted or after.adopted
    if yes + no + abstain < quorum:
        assert not before.adopted and not before.quorum_reached


def test_thresholds_at_their_exact_edge():
    assert adoption.decide(2, 1, 0, adoption.TWO_THIRDS).adopted  # at least two thirds
    assert not adoption.decide(2, 2, 0).adopted  # half is not a majority
    assert not adoption.decide(0, 0, 5).adopted  # nobody expressed: nothing adopted
    with pytest.raises(ValueError):
        adoption.AdoptionRule(Fraction(3, 2))


# -- the yes / no / abstention method ------------------------------------------------------

def test_a_yes_no_ballot_is_read_from_its_form_or_refused_with_a_message(app):
    with app.test_request_context():
        assert YES_NO.read(None, MultiDict({"choice": "y"})) == adoption.YES
        for form, field_error in ((MultiDict(), True), (MultiDict({"choice": "peut-être"}), True),
                                  (MultiDict([("choice", "y"), ("choice", "n")]), False)):
            with pytest.raises(InvalidBallot) as refused:
                YES_NO.read(None, form)
            assert bool(refused.value.errors) == field_error and (field_error or refused.value.message)


@given(st.lists(st.sampled_from(adoption.CHOICES), max_size=50),
       st.lists(st.fixed_dictionaries({c: st.integers(0, 100) for c in adoption.CHOICES}), max_size=3))
def test_the_yes_no_tally_counts_online_and_paper_ballots(choices, paper):
    texts = [YES_NO.serialise(None, choice) for choice in choices]
    assert [YES_NO.deserialise(None, text) for text in texts] == choices
    outcome = YES_NO.tally(adoption.SIMPLE_MAJORITY, texts, paper)
    yes = choices.count("y") + sum(batch["y"] for batch in paper)
    no = choices.count("n") + sum(batch["n"] for batch in paper)
    assert (outcome.yes, outcome.no) == (yes, no) and outcome.adopted == (yes > no)
    assert outcome.ballots == len(choices) + sum(sum(batch.values()) for batch in paper)


def _yes_no_register(choices: dict[str, str]) -> dict:
    header = {"format": YES_NO.register_format, "vote": 1, "question": "Adopter le budget ?"}
    previous = register.genesis(header)
    entries = []
    for receipt in sorted(choices):
        hashed = {**YES_NO.entry(choices[receipt]), "receipt": receipt}
        previous = register.link(previous, hashed)
        entries.append({**hashed, "hash": previous})
    return {"header": header, "genesis": register.genesis(header), "entries": entries, "head": previous,
            "count": len(entries)}


def test_a_register_checks_out_and_any_change_breaks_it():
    choices = {receipts.new_receipt(): choice for choice in ("y", "y", "n", "a")}
    document = _yes_no_register(choices)
    assert register.verify(document, YES_NO.register_format, YES_NO.check_entry) == len(choices)
    for tamper in (lambda d: d["entries"][0].update(choice="n" if d["entries"][0]["choice"] != "n" else "y"),
                   lambda d: d["entries"].pop(),
                   lambda d: d["entries"].reverse(),
                   lambda d: d["entries"][1].update(choice="peut-être"),
                   lambda d: d["header"].update(question="Autre chose ?")):
        broken = _yes_no_register(choices)
        tamper(broken)
        with pytest.raises(register.ChainError):
            register.verify(broken, YES_NO.register_format, YES_NO.check_entry)
    with pytest.raises(register.ChainError):
        register.verify(document, "convergence-mj-register/1", YES_NO.check_entry)


def test_the_site_knows_its_counting_methods_by_name(app):
    with app.test_request_context():
        found = methods()
    assert isinstance(found["yes-no"], YesNoAbstention)
    assert found["mj"].name == "mj" and found["mj"].register_format == "convergence-mj-register/1"


# -- eligibility ---------------------------------------------------------------------------

def test_members_vote_and_a_site_administrator_never_votes_in_their_place(app, make):
    commune = make.commune("Commune de Belleville")
    assembly = make.assembly(commune, "Assemblée", status="open")
    resident, admin, outsider = make.user("Résidente"), make.user("Admin", admin=True), make.user("Dehors")
    make.role(resident, "resident", commune=commune)
    with app.test_request_context():
        assert may_vote(resident, members_of(assembly)) and may_vote(resident, members_of(commune))
        assert not may_vote(admin, members_of(assembly)) and not may_vote(admin, members_of(commune))
        assert not may_vote(outsider, members_of(assembly))
        assert not may_vote(resident, BY_CODES) and not may_vote(None, members_of(assembly))
