"""Mastodon's HTML `content` as plain text, and the links it holds, with the stdlib parser."""

from __future__ import annotations

from html.parser import HTMLParser

from ediplomacy.ingest.formats.building import clean_text

_VOID_BREAKS = frozenset({"br"})
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4"})


class _TextAndLinks(HTMLParser):
    """Collects text (line breaks kept, tags dropped) and the hrefs of links that are not tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._skip_depth = 0  # inside the "RE: <link>" fallback of a quote post
        self._open: list[bool] = []  # per open element: does it start a skipped part?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_BREAKS:
            if not self._skip_depth:
                self.pieces.append("\n")
            return
        classes = ""
        href = None
        rel = ""
        for name, value in attrs:
            if name == "class":
                classes = value or ""
            elif name == "href":
                href = value
            elif name == "rel":
                rel = value or ""
        skipped = "quote-inline" in classes.split()
        self._open.append(skipped)
        if skipped:
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag in _BLOCKS:
            self._paragraph_break()
        elif tag == "a" and href and "mention" not in classes and "tag" not in rel.split():
            self.links.append(href)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_BREAKS and not self._skip_depth:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_BREAKS or not self._open:
            return
        if self._open.pop():
            self._skip_depth -= 1
        elif tag in _BLOCKS and not self._skip_depth:
            self._paragraph_break()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.pieces.append(data)

    def _paragraph_break(self) -> None:
        if self.pieces and not "".join(self.pieces[-2:]).endswith("\n\n"):
            self.pieces.append("\n\n" if not self.pieces[-1].endswith("\n") else "\n")


def html_to_text(content: str) -> tuple[str, list[str]]:
    """Plain text of a post's HTML (paragraphs as blank lines, <br> as newlines) and its links."""
    if "<" not in content and "&" not in content:
        return clean_text(content), []
    parser = _TextAndLinks()
    parser.feed(content)
    parser.close()
    return clean_text("".join(parser.pieces).strip()), parser.links
