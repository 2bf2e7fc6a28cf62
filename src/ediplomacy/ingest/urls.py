"""One spelling per web address, so that shares of the same page can be counted together."""

from __future__ import annotations

from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

# Query parameters that only say who shared a link or which campaign it came from.
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
    }
)
_TRACKING_BY_SITE: dict[str, frozenset[str]] = {
    "x.com": frozenset({"s", "t"}),
    "twitter.com": frozenset({"s", "t"}),
    "mobile.twitter.com": frozenset({"s", "t"}),
    "mobile.x.com": frozenset({"s", "t"}),
    "youtube.com": frozenset({"si", "feature"}),
    "m.youtube.com": frozenset({"si", "feature"}),
    "music.youtube.com": frozenset({"si", "feature"}),
    "youtu.be": frozenset({"si", "feature"}),
    "open.spotify.com": frozenset({"si"}),
    "spotify.com": frozenset({"si"}),
    "spotify.link": frozenset({"si"}),
}
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_url(url: str) -> str:
    """The address in one canonical spelling; what is not an http(s) URL comes back stripped."""
    text = url.strip() if isinstance(url, str) else ""
    if " " in text or not text.isprintable():
        return text  # blanks and control characters have no place in a URL
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return text
    netloc = _canonical_netloc(parts.netloc, scheme)
    if netloc is None:
        return text
    host = netloc.rpartition("@")[2]
    path = parts.path.rstrip("/")
    query = _canonical_query(parts.query, host)
    return urlunsplit(SplitResult("https", netloc, path, query, ""))


def _canonical_netloc(netloc: str, scheme: str) -> str | None:
    """Lower-case host without 'www.', trailing dot or default port; None if it is not a host."""
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return None
        host, port = hostport[: end + 1], hostport[end + 1 :]
        if port and not port.startswith(":"):
            return None
        port = port[1:]
    else:
        host, _, port = hostport.partition(":")
    host = host.lower().rstrip(".")
    while host.startswith("www."):
        host = host[4:]
    if not host or any(char in host for char in "/?#\\ "):
        return None
    if port and not port.isdecimal():
        return None
    if port == _DEFAULT_PORTS[scheme] or port == "443":
        port = ""
    hostport = f"{host}:{port}" if port else host
    return f"{userinfo}{at}{hostport}"


def _canonical_query(query: str, host: str) -> str:
    """Query parameters without tracking ones, sorted, each kept exactly as it was written."""
    if not query:
        return ""
    site_params = _TRACKING_BY_SITE.get(host, frozenset())
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote_plus(pair.partition("=")[0]).lower()
        if name.startswith("utm_") or name in _TRACKING_EXACT or name in site_params:
            continue
        kept.append(pair)
    kept.sort()
    return "&".join(kept)
