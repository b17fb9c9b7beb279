"""The name the plug-ins' first participation migrations import (needs_0002,
proposals_0003): the helpers themselves are frozen in
:mod:`convergence.migrations.frozen.participation_moves`, which new migrations import
directly (or copy what they need), never live application code."""

from ..migrations.frozen.participation_moves import (give_subjects, has_column, has_table,  # noqa: F401
                                                      link_needs_to_proposals, offset, reset_sequence)
