"""The watch-rule query language: precedence, fields, errors with their column, matching."""

from __future__ import annotations

import pytest

from ediplomacy.listen.rules import (
    And,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    describe,
    matches,
    normalize,
    parse,
)


def word(value: str) -> Term:
    return Term("text", value)


def test_precedence_not_then_and_then_or() -> None:
    assert parse("a b OR c") == Or((And((word("a"), word("b"))), word("c")))
    assert parse("a OR b c") == Or((word("a"), And((word("b"), word("c")))))
    assert parse("NOT a AND b") == And((Not(word("a")), word("b")))
    assert parse("NOT (a OR b)") == Not(Or((word("a"), word("b"))))
    assert parse("(a OR b) c") == And((Or((word("a"), word("b"))), word("c")))
    assert parse("a AND b AND c") == parse("a b c") == And((word("a"), word("b"), word("c")))
    assert parse("NOT NOT a") == Not(Not(word("a")))


def test_terms_and_fields() -> None:
    query = '"Sagara  Jaya" #Gempa @KemluSJ lang:EN country:qm platform:Bluesky sentiment:negative'
    assert parse(query) == And(
        (
            word("Sagara Jaya"),
            Term("hashtag", "Gempa"),
            Term("handle", "KemluSJ"),
            Term("lang", "en"),
            Term("country", "QM"),
            Term("platform", "bluesky"),
            Term("sentiment", "negative"),
        )
    )


@pytest.mark.parametrize(
    "query",
    [
        'Qadira OR "Sagara Jaya"',
        "(a OR b) AND NOT (c OR d) AND e",
        '"AND" OR "or" OR "10:30" OR #tag OR @who',
        "NOT NOT lang:id",
    ],
)
def test_describe_gives_back_the_same_tree(query: str) -> None:
    tree = parse(query)
    assert parse(describe(tree)) == tree
    assert normalize(normalize(query)) == normalize(query)


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ("sagara jaya (quake OR gempa", "unbalanced parenthesis at column 13", 13),
        ("quake OR gempa)", "unbalanced parenthesis at column 15", 15),
        ("quake foo:bar", "unknown field foo: at column 7", 7),
        ("quake OR", "missing term after OR at column 9", 9),
        ("AND quake", "missing term before AND at column 1", 1),
        ("quake AND NOT", "missing term after NOT at column 14", 14),
        ('quake "evacuation fee', "unterminated quote at column 7", 7),
        ('quake ""', "empty quoted phrase at column 7", 7),
        ("quake ()", "empty parentheses at column 8", 8),
        ("quake or gempa", "operator in lower case 'or' at column 7", 7),
        ("lang:", "lang: needs a value at column 1", 1),
        ("x lang:english", "lang:english is not valid at column 3", 3),
        ("country:IDN", "country:IDN is not valid at column 1", 1),
        ("platform:tiktok", "platform:tiktok is not valid at column 1", 1),
        ("a #", "# needs a hashtag at column 3", 3),
    ],
)
def test_errors_say_what_and_where(query: str, message: str, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert str(caught.value).startswith(message)
    assert caught.value.column == column
    assert caught.value.key.startswith("rules.error.")


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "x" * 2001])
def test_empty_or_huge_queries_are_refused(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse(query)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("(" * 500 + "a" + ")" * 500)
    assert caught.value.code == "too_deep"


POST = {
    "text": "Gempa di Qadira: the EVACUATION flights are free, says the Évacuation office",
    "hashtags": ["QadiraQuake", "gempa"],
    "mentions": ["KemluSJ"],
    "author_handle": "Sari_W",
    "language": "id",
    "detected_language": "en",
    "author_country": "ID",
    "countries_mentioned": ["QM"],
    "platform": "x",
    "sentiment": "negative",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("qadira", True),
        ("QADIRA evacuation", True),
        ("evacua", True),  # inside a longer word
        ('"evacuation flights"', True),
        ('"flights evacuation"', False),
        ("évacuation", True),  # as written and with a capital first letter
        ("ÉVACUATION", True),
        ("#qadiraquake", True),
        ("#qadira", False),  # hashtags match whole
        ("#gempa AND gempa", True),
        ("@kemlusj", True),  # mentioned
        ("@sari_w", True),  # the author
        ("@sari", False),
        ("lang:en", True),  # detected language first
        ("lang:id", False),
        ("country:ID", True),  # the author's country
        ("country:QM", True),  # a country talked about
        ("country:MY", False),
        ("platform:x AND sentiment:negative", True),
        ("sentiment:positive", False),
        ("NOT qadira", False),
        ("tsunami OR qadira", True),
        ("tsunami OR (gempa NOT lang:en)", False),
    ],
)
def test_matching_a_post(query: str, expected: bool) -> None:
    assert matches(query, POST) is expected


def test_language_falls_back_to_the_declared_one() -> None:
    post = {**POST, "detected_language": None}
    assert matches("lang:id", post) and not matches("lang:en", post)


def test_lists_may_come_as_stored_json_text() -> None:
    post = {**POST, "hashtags": '["QadiraQuake"]', "mentions": "[]"}
    assert matches("#QADIRAQUAKE", post) and not matches("@KemluSJ", post)
