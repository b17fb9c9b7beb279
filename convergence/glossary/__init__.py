"""The glossary: the words of the practice (consent, majority grade, equal shares …),
defined once in :mod:`.terms`, explained where they appear (``explain(slug)`` in any
template, a ``<details>`` from ``macros/glossary.html``) and listed on ``/glossaire``."""
