"""Helpers frozen for migrations: a migration that has run must do the same thing on the
next database it upgrades, years later, so it never imports live application code (a model,
a service) that may change. What several migrations share is copied here once and never
edited afterwards; a migration needing something different gets a new module."""
