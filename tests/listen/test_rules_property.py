"""Property: a rule matches the same posts in Python and in SQL, on SQLite and PostgreSQL.

Random query trees over a small vocabulary (so that they do match), with characters that
test the edges: both cases, accented capitals, ß, LIKE wildcards (% _) and the escape (/).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from ediplomacy.listen.rules import And, Node, Not, Or, Term, describe, parse, predicate
from ediplomacy.listen.rules import build as build_condition
from ediplomacy.store.watch import SqlConditions, matching_ids
from tests.listen.watch_fixtures import PostWriter

WORDS = ["qadira", "Qadira", "QADIRA", "gempa", "évacuation", "Évacuation", "ÉVACUATION",
         "100%", "a_b", "x/y", "Straße", "STRASSE", "fee", "coffee", "Sagara"]  # fmt: skip
PHRASES = ["sagara jaya", "Evacuation fee", "100% a_b"]
HANDLES = ["KemluSJ", "kemlusj", "sari_w", "Sari_W", "a%b", "émbassy"]
TAGS = ["Gempa", "gempa", "QadiraQuake", "évac", "a_b"]
LANGS = ["en", "id", "ar"]
COUNTRIES = ["ID", "QM", "XJ"]

terms = st.one_of(
    st.sampled_from(WORDS + PHRASES).map(lambda v: Term("text", v)),
    st.sampled_from(TAGS).map(lambda v: Term("hashtag", v)),
    st.sampled_from(HANDLES).map(lambda v: Term("handle", v)),
    st.sampled_from(LANGS).map(lambda v: Term("lang", v)),
    st.sampled_from(COUNTRIES).map(lambda v: Term("country", v)),
    st.sampled_from(["x", "bluesky"]).map(lambda v: Term("platform", v)),
    st.sampled_from(["negative", "positive"]).map(lambda v: Term("sentiment", v)),
)
trees: st.SearchStrategy[Node] = st.recursive(
    terms,
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, min_size=2, max_size=3).map(lambda items: And(tuple(items))),
        st.lists(inner, min_size=2, max_size=3).map(lambda items: Or(tuple(items))),
    ),
    max_leaves=8,
)
optional = st.one_of(st.none(), st.just(""))
posts = st.fixed_dictionaries(
    {
        "text": st.lists(
            st.sampled_from(WORDS + PHRASES + ["é", "É", "/", "%", "_", "x"]), max_size=6
        ).map(" ".join),
        "hashtags": st.lists(st.sampled_from(TAGS), max_size=2),
        "mentions": st.lists(st.sampled_from(HANDLES), max_size=2),
        "author_handle": st.one_of(st.none(), st.sampled_from(HANDLES)),
        "language": st.one_of(optional, st.sampled_from(LANGS)),
        "detected_language": st.one_of(optional, st.sampled_from(LANGS)),
        "author_country": st.one_of(st.none(), st.sampled_from(COUNTRIES)),
        "countries_mentioned": st.lists(st.sampled_from(COUNTRIES), max_size=2),
        "platform": st.sampled_from(["x", "bluesky"]),
        "sentiment": st.one_of(st.none(), st.sampled_from(["negative", "positive"])),
    }
)


@given(tree=trees)
def test_canonical_text_parses_to_an_equivalent_tree(tree: Node) -> None:
    again = parse(describe(tree))
    assert parse(describe(again)) == again
    sample = {"text": "qadira gempa", "hashtags": ["gempa"], "platform": "x"}
    assert predicate(again)(sample) == predicate(tree)(sample)


@pytest.mark.postgres
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(tree=trees, batch=st.lists(posts, min_size=1, max_size=8))
def test_sql_and_python_agree(engine: Engine, tree: Node, batch: list[dict[str, Any]]) -> None:
    writer = PostWriter.__new__(PostWriter)  # one collection per example, rolled back below
    writer.engine, writer.serial = engine, 0
    with engine.connect() as connection, connection.begin() as transaction:
        from tests.listen.watch_fixtures import add_collection

        writer.collection_id = add_collection(connection)
        ids = writer.add(connection, batch)
        condition = build_condition(tree, SqlConditions(connection.dialect.name))
        in_sql = matching_ids(connection, condition, ids)
        transaction.rollback()
    check = predicate(tree)
    in_python = {post_id for post_id, post in zip(ids, batch, strict=True) if check(post)}
    assert in_sql == in_python, describe(tree)
