"""RSS and Atom feeds: a local server with ETag; the feed format also read by `ingest`."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.ingest.formats.rss import RssFormat
from ediplomacy.ingest.importer import Importer
from tests.collectors.helpers import collect, post_ids, rejects
from tests.collectors.servers import PAYLOADS, FeedServer, PlatformServer, Reply

BROKEN_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kemlu News</title><link>https://kemlu.example/</link>
<language>id</language>
<item><title>Menlu bertemu mitra ASEAN</title><link>https://kemlu.example/1</link>
<guid>https://kemlu.example/1</guid><pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Pertemuan di Jakarta.&lt;/p&gt;</description></item>
<item><title>An entry with neither link nor guid</title></item>
</channel></rss>
"""


def test_feeds_are_collected_then_not_downloaded_again(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    feeds = {name: (PAYLOADS / "rss" / name).read_bytes()
             for name in ("heise.atom.xml", "uolNoticias.rss.xml")}  # fmt: skip
    feeds["kemlu.xml"] = BROKEN_FEED
    FeedServer(server, feeds)
    urls = [f"{server.url}/feeds/{name}" for name in feeds]
    server.queue("/feeds/heise", Reply(429, {"Retry-After": "1"}, b""))
    first = collect(engine, settings, "rss", {"urls": urls})
    assert first.counts.new == 15 + 15 + 1
    [reject] = rejects(first)
    assert reject["where"] == urls[2] and "no id and no link" in reject["reason"]
    stored = post_ids(engine, "news")
    assert "https://kemlu.example/1" in stored
    second = collect(engine, settings, "rss", {"urls": urls})
    assert second.counts.read == 0
    assert [r.headers.get("if-none-match") is not None for r in server.seen("/feeds/")][-3:] == [
        True, True, True,
    ]  # fmt: skip


def test_feed_entries_as_posts() -> None:
    parsed = RssFormat().parse({"url": "https://kemlu.example/rss", "content": BROKEN_FEED})
    [post] = parsed.posts
    assert post.platform == "news" and post.language == "id"
    assert post.text == "Menlu bertemu mitra ASEAN\n\nPertemuan di Jakarta."
    assert post.url == "https://kemlu.example/1"
    assert post.created_at is not None and post.created_at.isoformat().startswith("2024-01-01")
    assert parsed.actors[0].name == "Kemlu News" and post.author_handle == "kemlu.example"


def test_ingest_reads_a_feed_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes((PAYLOADS / "rss" / "uolNoticias.rss.xml").read_bytes())
    report = Importer(sqlite_engine, data_dir=tmp_path).run([path])
    assert report.files == [(str(path), "rss")]
    assert report.counts.new == 15 and report.counts.rejected == 0


ARABIC = "وزير الخارجية يلتقي نظيره الإندونيسي"
JAPANESE = "外務大臣がインドネシアを訪問"


def _feed(title: str, link: str, declaration: str) -> str:
    return (
        f'<?xml version="1.0"{declaration}?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{link}</link><item><title>{title}</title>"
        f"<link>{link}1</link><guid>{link}1</guid></item></channel></rss>\n"
    )


def test_feeds_are_read_in_the_charset_they_declare(
    engine: Engine, settings: Settings, server: PlatformServer
) -> None:
    feeds = {
        # Declared in the XML: windows-1256 bytes are not UTF-8 and not Latin-1.
        "arabic.xml": _feed(ARABIC, "https://ar.example/", ' encoding="windows-1256"').encode(
            "windows-1256"
        ),
        # Declared only in the HTTP Content-Type header.
        "japanese.xml": _feed(JAPANESE, "https://ja.example/", "").encode("shift_jis"),
    }
    FeedServer(server, feeds, {"japanese.xml": "text/xml; charset=Shift_JIS"})
    report = collect(engine, settings, "rss", {"urls": [f"{server.url}/feeds/{n}" for n in feeds]})
    assert report.counts.new == 2 and report.counts.rejected == 0
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT external_id, text FROM posts WHERE platform = 'news'")
        ).all()
    texts = {row[0]: row[1] for row in rows}
    assert texts == {"https://ar.example/1": ARABIC, "https://ja.example/1": JAPANESE}
