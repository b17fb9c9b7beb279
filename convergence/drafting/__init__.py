"""Drafting texts together, for every plug-in that writes one (proposals, joint declarations).

- :mod:`.versions`: a :class:`~convergence.models.Document` and its immutable, numbered
  versions; ``create(user, title, body)``, ``save(document, user, base_version, title, body,
  note=…)`` raising :class:`~.versions.Conflict` when someone saved first; ``version``, ``history``.
- :mod:`.paragraphs`: ``paragraphs(text)``, ``replace_paragraph(text, index, new)`` (plain Python).
- :mod:`.diff`: the word diff ``diff(old, new)``, ``changed_words``, ``rebuild`` (plain Python).
- :mod:`.amendments`: ``propose(document, user, paragraph, new_text, explanation)``,
  ``accept``, ``reject``, ``withdraw``, ``put_to_assembly``, ``take_in``, ``of_document``.

A plug-in's item points at its document with one foreign key (``document_id``) and keeps
its own rules (who may write, amend, decide; in which states) on top.
"""
