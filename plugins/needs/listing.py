"""The list of a commune's needs: its filters and its pages."""

from __future__ import annotations

import math
from typing import NamedTuple

from convergence.extensions import db
from convergence.web.inputs import whole_number

from .models import STATUSES, Category, Community, Need

PER_PAGE = 50


def filtered_query(commune_id: int, *, category=None, neighbourhood=None, community=None, status=None):
    """The select of a commune's visible needs (merged ones live on in their target) with
    the list's filters: category and community by code, neighbourhood by id."""
    query = db.select(Need).where(Need.commune_id == commune_id, Need.merged_into_id.is_(None))
    if category:
        query = query.where(Need.category_id == db.select(Category.id).where(
            Category.commune_id == commune_id, Category.code == category).scalar_subquery())
    if community:
        query = query.where(Need.community_id == db.select(Community.id).where(
            Community.commune_id == commune_id, Community.code == community).scalar_subquery())
    if neighbourhood:
        query = query.where(Need.neighbourhood_id == whole_number(neighbourhood))
    if status in STATUSES:
        query = query.where(Need.status == status)
    return query


class Page(NamedTuple):
    needs: list[Need]
    number: int
    pages: int
    total: int


def page(commune, filters: dict, number: int) -> Page:
    """One page of the filtered list, newest first, with what each line shows: two queries."""
    query = filtered_query(commune.id, **filters)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    needs = db.session.scalars(
        query.options(db.joinedload(Need.category), db.joinedload(Need.community),
                      db.joinedload(Need.neighbourhood))
        # Newest first by id (ids follow creation): walks the primary key, no sort of 100k rows.
        .order_by(Need.id.desc()).limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    ).all()
    return Page(needs, number, max(math.ceil(total / PER_PAGE), 1), total)
