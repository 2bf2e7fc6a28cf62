"""The watch-rule query language: parse to a tree, evaluate on a post, compile to SQL.

    Qadira OR "Sagara Jaya"          either one
    evacuation fee                    both words (implicit AND)
    #gempa AND NOT lang:en            a hashtag, not in English
    (@KemluSJ OR @EmbSJ) country:QM   by or mentioning either account, about or from QM

Precedence: NOT binds tightest, then AND (written or implicit), then OR; parentheses group.
Operators are written in capitals; `or`, `and` and `not` in lower case are refused with a hint
(quote them to search for the word).

Matching, the same in Python and in SQL on SQLite and PostgreSQL:
- a word or "quoted phrase" matches when it occurs anywhere in the text (also inside a longer
  word: `evacua` finds "evacuation"), as written, in lower case, in upper case or with a capital
  first letter; letters A-Z match in either case;
- `#tag` matches a post whose hashtag list holds the tag, `@handle` a post written by or
  mentioning the account (both compared like words, but whole);
- `lang:xx` the detected language (else the declared one), `country:XX` the author's country
  or a country the post talks about, `platform:x`, `sentiment:negative` exactly.

The SQL side is built by a `ConditionBuilder` (see ediplomacy.store.watch) so that the store
does not depend on this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

import orjson

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.security.errors import Explained

MAX_QUERY_LENGTH = 2000
MAX_DEPTH = 50
FIELDS = ("lang", "country", "platform", "sentiment")
SENTIMENTS = ("positive", "neutral", "negative")
OPERATORS = ("AND", "OR", "NOT")
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

TermKind = Literal["text", "hashtag", "handle", "lang", "country", "platform", "sentiment"]


class QuerySyntaxError(Explained, EdiplomacyError):
    """A watch-rule query that cannot be read; says where (1-based column) and why."""

    def __init__(
        self, problem: str, code: str, column: int, hint: str = "", **params: str | int
    ) -> None:
        message = f"{problem} at column {column}" if column else problem
        super().__init__(f"{message}: {hint}" if hint else message)
        self.code = code
        self.column = column
        self.explain(f"rules.error.{code}", column=column, **params)


QUERY_ERROR_CODES = (
    "empty",
    "too_long",
    "too_deep",
    "unbalanced",
    "unexpected_close",
    "unterminated_quote",
    "empty_phrase",
    "missing_term",
    "missing_term_before",
    "empty_group",
    "lowercase_operator",
    "unknown_field",
    "missing_value",
    "bad_value",
)


# The tree ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    kind: TermKind
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


Node = Term | Not | And | Or


def _quote(value: str) -> str:
    return '"' + value + '"'


def describe(node: Node) -> str:
    """The canonical text of a tree; parsing it gives the same tree back."""
    match node:
        case Term("text", value):
            plain = re.fullmatch(r"[^\s()\"#@:]+", value) and value not in OPERATORS
            return value if plain and value.lower() not in ("and", "or", "not") else _quote(value)
        case Term("hashtag", value):
            return "#" + value
        case Term("handle", value):
            return "@" + value
        case Term(kind, value):
            return f"{kind}:{value}"
        case Not(item):
            return "NOT " + _group(item, Not)
        case And(items):
            return " AND ".join(_group(item, And) for item in items)
        case Or(items):
            return " OR ".join(_group(item, Or) for item in items)
    raise TypeError(node)  # pragma: no cover


def _group(node: Node, parent: type) -> str:
    tighter = {Not: (Term, Not), And: (Term, Not), Or: (Term, Not, And)}[parent]
    text = describe(node)
    return text if isinstance(node, tighter) else f"({text})"


# Tokens ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: Literal["(", ")", "op", "term"]
    column: int  # 1-based
    text: str = ""
    term: Term | None = None


def _word_term(word: str, column: int) -> Term:
    if word.startswith("#"):
        if len(word) == 1:
            raise QuerySyntaxError("# needs a hashtag", "missing_value", column, field="#")
        return Term("hashtag", word[1:])
    if word.startswith("@"):
        if len(word) == 1:
            raise QuerySyntaxError("@ needs a handle", "missing_value", column, field="@")
        return Term("handle", word[1:])
    field = _FIELD_RE.match(word)
    if field:
        name, value = field.group(1).lower(), field.group(2)
        if name not in FIELDS:
            known = ", ".join(f"{f}:" for f in FIELDS)
            raise QuerySyntaxError(
                f"unknown field {name}:",
                "unknown_field",
                column,
                f"the fields are {known}; quote the text to search for it",
                field=name,
                known=known,
            )
        if not value:
            raise QuerySyntaxError(
                f"{name}: needs a value",
                "missing_value",
                column,
                f"for example {_EXAMPLES[name]}",
                field=name + ":",
            )
        return Term(name, _field_value(name, value, column))  # type: ignore[arg-type]
    return Term("text", word)


_EXAMPLES = {"lang": "lang:id", "country": "country:ID", "platform": "platform:x",
             "sentiment": "sentiment:negative"}  # fmt: skip


def _field_value(name: str, value: str, column: int) -> str:
    checks: dict[str, tuple[str, Callable[[str], bool], str]] = {
        "lang": (value.lower(), lambda v: bool(_LANG_RE.match(v)), "a 2- or 3-letter code"),
        "country": (value.upper(), lambda v: bool(_COUNTRY_RE.match(v)), "a 2-letter ISO code"),
        "platform": (value.lower(), lambda v: v in PLATFORMS, ", ".join(PLATFORMS)),
        "sentiment": (value.lower(), lambda v: v in SENTIMENTS, ", ".join(SENTIMENTS)),
    }
    normal, valid, expected = checks[name]
    if not valid(normal):
        raise QuerySyntaxError(
            f"{name}:{value} is not valid",
            "bad_value",
            column,
            f"use {expected}",
            field=name,
            value=value,
            expected=expected,
        )
    return normal


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(Token(char, column))  # type: ignore[arg-type]
            i += 1
        elif char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(
                    "unterminated quote", "unterminated_quote", column, 'close the phrase with "'
                )
            phrase = " ".join(query[i + 1 : end].split())
            if not phrase:
                raise QuerySyntaxError("empty quoted phrase", "empty_phrase", column)
            tokens.append(Token("term", column, term=Term("text", phrase)))
            i = end + 1
        else:
            end = i
            while end < n and not query[end].isspace() and query[end] not in '()"':
                end += 1
            word = query[i:end]
            if word in OPERATORS:
                tokens.append(Token("op", column, text=word))
            elif word.lower() in ("and", "or", "not"):
                raise QuerySyntaxError(
                    f"operator in lower case '{word}'",
                    "lowercase_operator",
                    column,
                    f'write {word.upper()} in capitals, or "{word}" in quotes to search for it',
                    word=word,
                )
            else:
                tokens.append(Token("term", column, term=_word_term(word, column)))
            i = end
    return tokens


# Parser ------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[Token], length: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.end_column = length + 1
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token is not None:  # only a stray ")" stops the loops early
            raise QuerySyntaxError(
                "unbalanced parenthesis", "unexpected_close", token.column, "this ) closes nothing"
            )
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            self.take()
            items.append(self.and_expr(after=token))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, after: Token | None = None) -> Node:
        items = [self.not_expr(after)]
        while (token := self.peek()) is not None and token.kind != ")" and token.text != "OR":
            if token.kind == "op" and token.text == "AND":
                self.take()
                items.append(self.not_expr(after=token))
            else:
                items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self, after: Token | None = None) -> Node:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text == "NOT":
            self.take()
            return Not(self.not_expr(after=token))
        return self.primary(after)

    def primary(self, after: Token | None) -> Node:
        token = self.peek()
        if token is None or token.kind == ")" or token.kind == "op":
            column = token.column if token else self.end_column
            if after is None and token is not None and token.kind == "op":
                raise QuerySyntaxError(
                    f"missing term before {token.text}",
                    "missing_term_before",
                    column,
                    operator=token.text,
                )
            if after is None and token is not None:
                raise QuerySyntaxError(
                    "unbalanced parenthesis", "unexpected_close", column, "this ) closes nothing"
                )
            what = after.text if after is not None else "("
            raise QuerySyntaxError(
                f"missing term after {what}", "missing_term", column, operator=what
            )
        self.take()
        if token.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError("too many nested parentheses", "too_deep", token.column)
            inner = self.or_expr_after(token)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError(
                    "unbalanced parenthesis", "unbalanced", token.column, "this ( is never closed"
                )
            self.take()
            self.depth -= 1
            return inner
        assert token.term is not None
        return token.term

    def or_expr_after(self, opening: Token) -> Node:
        following = self.peek()
        if following is None:
            raise QuerySyntaxError(
                "unbalanced parenthesis", "unbalanced", opening.column, "this ( is never closed"
            )
        if following.kind == ")":
            raise QuerySyntaxError("empty parentheses", "empty_group", following.column)
        return self.or_expr()


def parse(query: str) -> Node:
    """The tree of a query, or QuerySyntaxError saying what is wrong and at which column."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            f"the query is longer than {MAX_QUERY_LENGTH} characters; split it into rules",
            "too_long",
            0,
            limit=MAX_QUERY_LENGTH,
        )
    query = "".join(c if c.isprintable() else " " for c in query)
    tokens = tokenize(query)
    if not tokens:
        raise QuerySyntaxError("the query is empty; write words, phrases or fields", "empty", 0)
    return _Parser(tokens, len(query)).parse()


def normalize(query: str) -> str:
    """A query checked and written the canonical way (as stored)."""
    return describe(parse(query))


# Matching, shared by Python and SQL ----------------------------------------------------


def fold(text: str) -> str:
    """Lower-case A-Z only, as SQLite's LIKE compares (and as PostgreSQL is told to)."""
    return text.translate(_ASCII_FOLD)


def variants(value: str) -> list[str]:
    """The forms a word is looked for in: as written, lower, upper, capitalised; folded."""
    forms = (value, value.lower(), value.upper(), value[:1].upper() + value[1:].lower())
    return list(dict.fromkeys(fold(form) for form in forms if form))


def json_needles(value: str) -> list[str]:
    """What a list element looks like inside the stored JSON text: `"tag"`, folded."""
    return list(dict.fromkeys(fold(orjson.dumps(form).decode()) for form in variants(value)))


def _handle(value: str) -> str:
    return value.lstrip("@")


T = TypeVar("T")


class ConditionBuilder(Protocol[T]):
    """Builds conditions on posts; needles and values arrive folded (see `fold`)."""

    def text_contains(self, needles: Sequence[str]) -> T: ...
    def hashtags_contain(self, needles: Sequence[str]) -> T: ...
    def by_or_mentions(self, handles: Sequence[str], needles: Sequence[str]) -> T: ...
    def field_is(self, field: str, value: str) -> T: ...
    def all_of(self, items: Sequence[T]) -> T: ...
    def any_of(self, items: Sequence[T]) -> T: ...
    def negate(self, item: T) -> T: ...


def build(node: Node, builder: ConditionBuilder[T]) -> T:
    """Fold the tree into whatever `builder` makes (an SQL condition, a predicate)."""
    match node:
        case Term("text", value):
            return builder.text_contains(variants(value))
        case Term("hashtag", value):  # some sources keep the '#' in the list
            return builder.hashtags_contain(json_needles(value) + json_needles("#" + value))
        case Term("handle", value):
            handle = _handle(value)
            return builder.by_or_mentions(variants(handle), json_needles(handle))
        case Term(kind, value):
            return builder.field_is(kind, value)
        case Not(item):
            return builder.negate(build(item, builder))
        case And(items):
            return builder.all_of([build(item, builder) for item in items])
        case Or(items):
            return builder.any_of([build(item, builder) for item in items])
    raise TypeError(node)  # pragma: no cover


Predicate = Callable[[Mapping[str, Any]], bool]


def _json_text(value: Any) -> str:
    if value is None:
        return "[]"
    if isinstance(value, str):
        return value
    return orjson.dumps(list(value)).decode()


class PythonConditions:
    """Evaluates a tree on one post given as a mapping (a `posts` row, a streamed post).

    Keys read: text, hashtags and mentions (lists or their JSON text), author_handle,
    detected_language, language, author_country, countries_mentioned (list), platform,
    sentiment.
    """

    def text_contains(self, needles: Sequence[str]) -> Predicate:
        return lambda post: any(needle in fold(post.get("text") or "") for needle in needles)

    def hashtags_contain(self, needles: Sequence[str]) -> Predicate:
        return lambda post: any(
            needle in fold(_json_text(post.get("hashtags"))) for needle in needles
        )

    def by_or_mentions(self, handles: Sequence[str], needles: Sequence[str]) -> Predicate:
        def check(post: Mapping[str, Any]) -> bool:
            author = fold(post.get("author_handle") or "")
            mentions = fold(_json_text(post.get("mentions")))
            return author in handles or any(needle in mentions for needle in needles)

        return check

    def field_is(self, field: str, value: str) -> Predicate:
        def check(post: Mapping[str, Any]) -> bool:
            if field == "lang":
                detected = post.get("detected_language")
                return (detected if detected is not None else post.get("language")) == value
            if field == "country":
                mentioned = post.get("countries_mentioned") or ()
                return post.get("author_country") == value or value in mentioned
            return bool(post.get(field) == value)

        return check

    def all_of(self, items: Sequence[Predicate]) -> Predicate:
        return lambda post: all(item(post) for item in items)

    def any_of(self, items: Sequence[Predicate]) -> Predicate:
        return lambda post: any(item(post) for item in items)

    def negate(self, item: Predicate) -> Predicate:
        return lambda post: not item(post)


def predicate(node: Node) -> Predicate:
    """A function telling whether a post (a mapping) matches the tree."""
    return build(node, PythonConditions())


def matches(query: str | Node, post: Mapping[str, Any]) -> bool:
    """Whether one post matches a query (text or parsed)."""
    node = parse(query) if isinstance(query, str) else query
    return predicate(node)(post)
