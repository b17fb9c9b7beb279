"""Consent rounds (sociocracy), for every space that decides by consent: proposals, circles'
entries and exits. See :mod:`.rounds` for the mechanics; what a round is about, who is
asked and what its adoption does are the caller's (a subclass of
:class:`~convergence.models.ConsentRound` holds the subject)."""
