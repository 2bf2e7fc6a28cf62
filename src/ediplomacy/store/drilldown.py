"""SQL pieces shared by the dashboard's aggregates and the explorer's drill-down filters.

An aggregate and the filter that drills into one of its bars are built from the same
expression here, so the explorer lists exactly the posts a chart counted. The JSON text lists
of a post (hashtags, canonical URLs) are unnested with `json_each` on SQLite and
`jsonb_array_elements_text` on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles

from ediplomacy.store.schema import post_facets, posts

UNKNOWN = "und"  # the value that stands for "not known" (no country, no language)
STANCE_PREFIX = "stance:"
HTTPS = "https://"  # canonical URLs all start so (ingest/urls.py)


def list_items(connection: Connection, column: sa.Column[Any], name: str) -> Any:
    """The elements of a JSON text list column as a FROM item with one `value` column."""
    if connection.dialect.name == "postgresql":
        function = sa.func.jsonb_array_elements_text(sa.cast(column, JSONB))
        return function.table_valued("value").render_derived(name=name)
    return sa.func.json_each(column).table_valued("value").alias(name)


class unicode_lower(sa.sql.functions.GenericFunction[str]):
    """lower() that folds every script: PostgreSQL's own, a Python function on SQLite."""

    type = sa.String()
    inherit_cache = True


@compiles(unicode_lower)
def _lower_default(element: unicode_lower, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(unicode_lower, "sqlite")
def _lower_sqlite(element: unicode_lower, compiler: Any, **kw: Any) -> str:
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"  # store/engine.py


def hashtag_key(value: Any) -> sa.ColumnElement[str]:
    """Hashtags are counted case-insensitively in every script, without a leading '#'."""
    return unicode_lower(sa.func.ltrim(value, "#"))


def domain_of(connection: Connection, url: Any) -> sa.ColumnElement[str]:
    """The host of a canonical URL ('https://host/path?query'); NULL for anything else."""
    rest = sa.func.substr(url, len(HTTPS) + 1)
    if connection.dialect.name == "postgresql":
        host: sa.ColumnElement[str] = sa.func.split_part(sa.func.split_part(rest, "/", 1), "?", 1)
    else:
        cut = sa.func.min(sa.func.instr(rest + "/", "/"), sa.func.instr(rest + "?", "?"))
        host = sa.func.substr(rest, 1, cut - 1)
    return sa.case((url.startswith(HTTPS), sa.func.lower(host)), else_=sa.null())


def has_hashtag(connection: Connection, tag: str) -> sa.ColumnElement[bool]:
    items = list_items(connection, posts.c.hashtags, "tag_item")
    wanted = tag.strip().lstrip("#").lower()
    return sa.exists().select_from(items).where(hashtag_key(items.c.value) == wanted)


def has_url(connection: Connection, url: str) -> sa.ColumnElement[bool]:
    items = list_items(connection, posts.c.canonical_urls, "url_item")
    return sa.exists().select_from(items).where(items.c.value == url.strip())


def has_domain(connection: Connection, domain: str) -> sa.ColumnElement[bool]:
    items = list_items(connection, posts.c.canonical_urls, "domain_item")
    wanted = domain.strip().lower()
    return sa.exists().select_from(items).where(domain_of(connection, items.c.value) == wanted)


def has_facet(facet: str | None, value: str | None) -> sa.ColumnElement[bool]:
    """A post_facets row of this post; `facet` None means any stance target.

    An alias, so that the condition also works in aggregates that join post_facets themselves.
    """
    rows = post_facets.alias("facet_filter")
    query = sa.select(sa.literal(1)).where(rows.c.post_id == posts.c.id)
    if facet is None:
        query = query.where(rows.c.facet.startswith(STANCE_PREFIX, autoescape=True))
    else:
        query = query.where(rows.c.facet == facet)
    if value is not None:
        query = query.where(rows.c.value == value)
    return query.exists()


def known_or_null(column: Any, value: str) -> sa.ColumnElement[bool]:
    """`column = value` (country codes upper-cased), where 'und' asks for rows without one."""
    value = value.strip()
    if value.lower() == UNKNOWN:
        return column.is_(None)
    return column == (value.upper() if column.key == "author_country" else value.lower())


def stance_facet(target: str) -> str:
    return STANCE_PREFIX + target
