"""The words of the practice, defined once: the glossary page lists them and ``explain``
shows one where it appears. Pure data (no Flask import): names and definitions are lazy
strings, translated when shown; the slug is the entry's anchor on ``/glossaire``, French
and fixed, so that a link to it holds in every language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    definition: str


TERMS: tuple[Term, ...] = (
    Term("assemblee-populaire", _l("Popular assembly"),
         _l("The open meeting of the people of the commune. It hears the report-backs of the workshops and "
            "circles, and decides.")),
    Term("cercle-thematique", _l("Thematic circle"),
         _l("A working group on one subject (food, housing …) with a purpose and a decision perimeter: "
            "what it may decide alone. People enter it and leave it by consent of its members.")),
    Term("perimetre-de-decision", _l("Decision perimeter"),
         _l("What a circle may decide alone, without going back to the assembly.")),
    Term("garant", _l("Guarantor"),
         _l("The person who watches that the process is respected: everyone heard, objections treated, "
            "the rules followed. They do not run what they guarantee.")),
    Term("facilitation", _l("Facilitation"),
         _l("The facilitation team prepares the meeting and its agenda, gives the floor and keeps the time. "
            "On the platform, it opens votes and consent rounds.")),
    Term("tour-de-parole", _l("Speaking round"),
         _l("Everyone speaks in turn, once, without being interrupted, before any discussion: each voice is "
            "heard, not only the quickest.")),
    Term("consentement", _l("Consent"),
         _l("A way of deciding: a proposal is adopted when nobody raises a reasoned objection any more. "
            "Consenting does not mean being enthusiastic: it means « I can live with it, and see no risk "
            "for the group ».")),
    Term("objection", _l("Objection"),
         _l("A reason, given, why the proposal would harm the group or its purpose. It is not a "
            "preference: the group treats it, often by improving the proposal, and a reason is required.")),
    Term("je-me-tiens-a-l-ecart", _l("I stand aside"),
         _l("An answer in a consent round: « I do not oppose it, but I do not take part in this decision ». "
            "It does not block the adoption.")),
    Term("tour-de-consentement", _l("Consent round"),
         _l("Each person consulted answers consent, objection or « I stand aside ». The proposal is adopted "
            "when the round closes with no objection left untreated.")),
    Term("amendement", _l("Amendment"),
         _l("A change to one paragraph of a proposal (or to its whole text), proposed by anyone. The authors "
            "accept it, which makes a new version, or reject it with a reason; the assembly may then decide.")),
    Term("soutien", _l("Support"),
         _l("A signature backing a proposal or a need. With enough supports, a proposal goes on the "
            "assembly's agenda.")),
    Term("jugement-majoritaire", _l("Majority judgment"),
         _l("A vote where each person gives a grade to every option (from Excellent to To reject), instead of "
            "choosing only one. The option with the best majority grade wins.")),
    Term("mention", _l("Grade"),
         _l("What a voter says of an option in a majority-judgment vote, on the vote's scale: for example "
            "Excellent, Very good, Good, Fair, Passable, Insufficient, To reject.")),
    Term("mention-majoritaire", _l("Majority grade"),
         _l("The grade that at least half the voters give or exceed for an option (its median grade). Options "
            "are ranked by it; between equal majority grades, the rest of the votes separate them.")),
    Term("profil-de-merite", _l("Merit profile"),
         _l("How an option's grades are spread, drawn as a bar: the share of each grade, from the best to the "
            "worst. The grade at the middle of the bar is its majority grade.")),
    Term("registre-des-bulletins", _l("Register of ballots"),
         _l("The list of every ballot cast, published when the vote closes, without any name. Anyone can "
            "recount it; with your receipt you find your own ballot in it.")),
    Term("recu-de-vote", _l("Ballot receipt"),
         _l("A code given to you when you vote, and only to you. It lets you check in the register of ballots "
            "that your ballot was counted as you cast it, without telling anyone what you voted.")),
    Term("code-de-vote", _l("Voting code"),
         _l("A single-use code handed out in the room, often printed with a QR code: it allows one ballot "
            "without an account.")),
    Term("parts-egales", _l("Method of Equal Shares"),
         _l("A way to share a participatory budget: the envelope is split into equal shares between the "
            "voters, and each project is funded by the shares of those who voted for it. Each group gets "
            "projects in proportion to its size (used in Wieliczka, Aarau, Assen).")),
    Term("journal-des-decisions", _l("Journal of decisions"),
         _l("The public record of the commune's official acts: who did what and when. Entries are never "
            "edited.")),
    Term("chaine-d-empreintes", _l("Hash chain"),
         _l("Each entry of the journal carries a fingerprint (SHA-256 hash) computed from its content and from "
            "the fingerprint of the entry before it. Changing, removing or moving one entry breaks every "
            "fingerprint after it: anyone can recompute the chain from the published file and check it.")),
)

BY_SLUG: dict[str, Term] = {term.slug: term for term in TERMS}
