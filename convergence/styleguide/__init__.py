"""The living style guide: every component of the design system on one page (/styleguide),
served in development only (``app.debug`` or ``STYLEGUIDE``); the palette and its contrast
ratios (palette.py) are also what tests/design/test_palette.py checks against the sheet."""
