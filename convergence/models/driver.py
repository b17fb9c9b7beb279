"""Statements sent straight to the database driver, for the platform's hottest path
(casting a ballot: 500 and more a second in a vote that closes).

There, SQLAlchemy's own work around a statement costs more than the statement: building
the cache key of the query, setting up its result, and the ORM's loading of each object
(about 0.4 ms of CPU for the four objects a ballot needs, against 0.1 ms for the driver to
run the same query). So:

* :class:`Statement` keeps a statement in the driver's spelling, written once with
  SQLAlchemy's ``:name`` parameters (:meth:`Statement.of_select` compiles a select once);
* :func:`rows` runs it with psycopg's cursor on PostgreSQL (a prepared statement), through
  the session elsewhere (SQLite, the embedded default); in both cases inside the request's
  transaction or autocommit, and seen by whoever listens to ``before_cursor_execute``
  (the tests that count statements). Errors come back as SQLAlchemy's, parameters hidden;
* :class:`Shape` names the mapped classes a select reads in full and turns a row into
  objects of the session as if the ORM had loaded them (``make_transient_to_detached``:
  persistent, nothing to write, deferred columns loaded if ever read).

Anything else goes through the ORM: this is for the few statements a benchmark says.
"""

from __future__ import annotations

import re

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import make_transient_to_detached

from ..extensions import db

# What SQLAlchemy's text() takes for a parameter (its own pattern): not a cast (``::date``),
# nor a colon inside a word or escaped.
_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


class Statement:
    """One SQL statement in the driver's spelling (``%(name)s``), with SQLAlchemy's form
    for the other databases."""

    def __init__(self, sql: str) -> None:
        if "%" in sql:
            raise ValueError("write the statement without %: the driver's spelling would need it doubled")
        self.portable = db.text(sql)
        self.driver = _PARAMETER.sub(r"%(\1)s", sql)
        self.defaults: dict = {}
        self.processors: list = []

    @classmethod
    def of_select(cls, select) -> "Statement":
        """A Core select compiled once for PostgreSQL; its literal values (``name = 'vote'``)
        become default parameters, the ``bindparam``\\ s are to be given."""
        from sqlalchemy.dialects.postgresql import psycopg as postgresql

        dialect = postgresql.dialect()
        compiled = select.compile(dialect=dialect)
        statement = cls.__new__(cls)
        statement.portable = select
        statement.driver = str(compiled)
        statement.defaults = {name: value for name, value in compiled.params.items() if value is not None}
        statement.processors = None  # known at the first run, from the types the server sends
        return statement


def rows(statement: Statement, params: dict) -> list[tuple]:
    """Run ``statement`` in the request's session and return its rows (tuples)."""
    session = db.session()
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [tuple(row) for row in session.execute(statement.portable, params)]
    if statement.defaults:
        params = {**statement.defaults, **params}
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor:
            if connection.dispatch.before_cursor_execute:  # who counts statements sees this one too
                connection.dispatch.before_cursor_execute(connection, cursor, statement.driver, params, None, False)
            cursor.execute(statement.driver, params, prepare=True)
            if statement.processors is None:
                statement.processors = _processors(statement.portable, cursor.description, connection.dialect)
            found = cursor.fetchall()  # (every statement here returns rows: a SELECT, or RETURNING)
    except psycopg.Error as error:
        # Parameters hidden: a ballot's say who sealed what, not for a log.
        wrapped = sa_exc.DBAPIError.instance(statement.driver, params, error, psycopg.Error, hide_parameters=True,
                                             connection_invalidated=connection.dialect.is_disconnect(
                                                 error, raw, None))
        if wrapped.connection_invalidated:
            connection.invalidate(error)  # the pool does not hand this connection out again
        raise wrapped from error
    if statement.processors:
        found = [_processed(row, statement.processors) for row in found]
    return found


def _processors(select, description, dialect) -> list:
    """What SQLAlchemy would do to each value read, where it does something (nothing for
    plain types with psycopg)."""
    found = []
    for at, (column, sent) in enumerate(zip(select.selected_columns, description)):
        process = column.type.dialect_impl(dialect).result_processor(dialect, sent.type_code)
        if process is not None:
            found.append((at, process))
    return found


def _processed(row: tuple, processors) -> tuple:
    values = list(row)
    for at, process in processors:
        values[at] = process(values[at])
    return tuple(values)


class Shape:
    """Mapped classes read in full by one select, in order: their columns for the select
    (:attr:`columns`), and :meth:`objects` to make a row's objects."""

    def __init__(self, *classes, skip: dict | None = None) -> None:
        """``skip``: per class, attribute keys not read (deferred: loaded if ever asked)."""
        self.parts = []
        self.columns = []
        for cls in classes:
            left_out = set((skip or {}).get(cls, ()))
            keys = [attr.key for attr in cls.__mapper__.column_attrs if attr.key not in left_out]
            identity = [keys.index(cls.__mapper__.get_property_by_column(column).key)
                        for column in cls.__mapper__.primary_key]
            self.parts.append((cls, keys, identity))
            self.columns.extend(getattr(cls, key) for key in keys)
        self.width = len(self.columns)

    def objects(self, row, links=()) -> list:
        """The objects of ``row`` (its first :attr:`width` values), persistent in the request's
        session. ``links``: (index of an object, relationship key, index of the object it
        points at, or None for none), set as loaded, so reading them asks no query."""
        session = db.session()
        made, at = [], 0
        for cls, keys, positions in self.parts:
            values = row[at:at + len(keys)]
            at += len(keys)
            identity = [values[position] for position in positions]
            if all(value is None for value in identity):  # an outer join that found nothing
                made.append(None)
                continue
            known = session.identity_map.get(cls.__mapper__.identity_key_from_primary_key(identity))
            if known is not None:  # already in the session: that object, as it is
                made.append(known)
                continue
            instance = cls.__mapper__.class_manager.new_instance()
            instance.__dict__.update(zip(keys, values))
            made.append(instance)
        fresh = [instance for instance in made if instance is not None and instance not in session]
        for source, key, target in links:
            if made[source] in fresh:
                made[source].__dict__[key] = None if target is None else made[target]
        for instance in fresh:
            make_transient_to_detached(instance)  # as if loaded: nothing to write
        for instance in fresh:  # adding one adds those it points at: all made detached first
            if instance not in session:
                session.add(instance)
        return made
