"""« Pour moi »: what concerns the logged-in person — the votes and consent rounds open to
them, their needs and proposals, and what changed since their last visit — each list in a
bounded number of queries (tests/core/test_for_me.py counts them)."""
