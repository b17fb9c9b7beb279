"""Participatory budgeting (budget participatif): the allocation engine and the Pabulib
format come first; the pages, ballots and results come with the next step."""
