"""Test support for the core and for plug-ins: fixtures and helpers, a pytest plug-in.

Needs the test extras (``pip install -e ".[test]"``: pytest, hypothesis, playwright); the
application never imports this package. pytest loads it by itself through the ``pytest11``
entry point (:mod:`convergence.testing.plugin`), so in a plug-in's tests::

    from convergence.testing import browser_fields, login

    def test_my_page(client, make):
        login(client, make.user())
        ...

The browser helpers live in :mod:`convergence.testing.browser` (Playwright is imported only
when a browser fixture runs).
"""

from .fixtures import (CSRF_RE, IN_CI, PASSWORD, REPLAYED, Factory, IsolatedClient,  # noqa: F401
                       browser_fields, count_queries, csrf_token, database_url, form_token, in_ci,
                       is_postgres, login, make_test_app, migrate, post_twice, require_postgres, require_redis,
                       says_replayed, separate_database, unavailable, visible_text, wait_until)
