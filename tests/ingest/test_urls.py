"""Canonical URLs: one spelling per page; never raises; applying it twice changes nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from ediplomacy.ingest.urls import canonical_url


@pytest.mark.parametrize(
    ("given_url", "canonical"),
    [
        ("HTTP://WWW.Example.COM/Path?b=2&a=1#frag", "https://example.com/Path?a=1&b=2"),
        ("https://example.com:443/a/", "https://example.com/a"),
        ("http://example.com:80", "https://example.com"),
        ("https://example.com:8443/", "https://example.com:8443"),
        ("https://example.com/", "https://example.com"),
        (
            "https://news.example.org/story?utm_source=tw&utm_medium=social&id=7&fbclid=XYZ",
            "https://news.example.org/story?id=7",
        ),
        (
            "https://shop.example/?gclid=1&dclid=2&gbraid=3&wbraid=4&msclkid=5&yclid=6&q=shoes",
            "https://shop.example?q=shoes",
        ),
        (
            "https://example.com/?igshid=1&igsh=2&mc_cid=3&mc_eid=4&_ga=5&_gl=6",
            "https://example.com",
        ),
        ("https://example.com/a?ref_src=twsrc&ref_url=x&UTM_Campaign=c", "https://example.com/a"),
        ("https://twitter.com/user/status/1?s=20&t=abc", "https://twitter.com/user/status/1"),
        ("https://x.com/user/status/1?s=46", "https://x.com/user/status/1"),
        ("https://example.com/page?s=search&t=10", "https://example.com/page?s=search&t=10"),
        (
            "https://www.youtube.com/watch?v=abc&feature=share&si=xyz",
            "https://youtube.com/watch?v=abc",
        ),
        ("https://youtu.be/abc?si=xyz&t=42", "https://youtu.be/abc?t=42"),
        ("https://open.spotify.com/track/1?si=abc", "https://open.spotify.com/track/1"),
        ("https://example.com/search?q=a+b&q=c%20d", "https://example.com/search?q=a+b&q=c%20d"),
        ("https://user:pw@Example.com/x", "https://user:pw@example.com/x"),
        ("https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://example.com./x", "https://example.com/x"),
    ],
)
def test_canonical_url(given_url: str, canonical: str) -> None:
    assert canonical_url(given_url) == canonical


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "not a url", "mailto:a@example.com", "ftp://example.com/x", "http://[::1", "//x",
     "https://", "javascript:alert(1)", "http://exa mple.com/", "https://example.com:port/"],
)  # fmt: skip
def test_anything_else_comes_back_stripped(garbage: str) -> None:
    assert canonical_url(f" {garbage} ") == garbage.strip()


@settings(max_examples=500)
@given(st.text())
def test_never_raises_and_is_idempotent_on_any_text(text: str) -> None:
    once = canonical_url(text)
    assert isinstance(once, str)
    assert canonical_url(once) == once


@settings(max_examples=500)
@given(
    urls(),
    st.lists(
        st.tuples(
            st.sampled_from(["utm_source", "fbclid", "si", "s", "t", "id", "page", "q"]),
            st.text(alphabet="abcXYZ019-_", max_size=5),
        ),
        max_size=4,
    ),
)
def test_idempotent_on_urls_and_drops_tracking(url: str, params: list[tuple[str, str]]) -> None:
    query = "&".join(f"{name}={value}" for name, value in params)
    base = url.split("#")[0]
    address = f"{base}{'&' if '?' in base else '?'}{query}" if query else url
    once = canonical_url(address)
    assert canonical_url(once) == once
    assert once.startswith("https://")
    assert "#" not in once
    assert "utm_source=" not in once and "fbclid=" not in once
    host = urlsplit(once).netloc.rpartition("@")[2]
    assert host == host.lower() and not host.startswith("www.")
