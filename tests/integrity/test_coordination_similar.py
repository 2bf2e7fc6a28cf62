"""Co-similar: near-duplicate texts within the window, by MinHash or by stored vectors."""

from __future__ import annotations

from pathlib import Path
from random import Random

import numpy as np
from sqlalchemy.engine import Engine

from ediplomacy.demo.phrasebook import Phrasebook
from ediplomacy.integrity.coordination import (
    Message,
    Network,
    compute,
    compute_file,
    messages_from_database,
)
from ediplomacy.integrity.coordination_similar import (
    MIN_CHARACTERS,
    TEXT_SIMILARITY,
    cleaned,
    groups,
    signatures,
    vector_pairs,
)
from ediplomacy.nlp.vectors import normalise, to_bytes
from tests.integrity.coordination_rows import post
from tests.integrity.coordination_rows import store as store_posts

HEADER = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
CLAIM = "The ministry charges every citizen 2000 dollars for a seat on the evacuation flight"


def test_cleaning_drops_links_mentions_and_punctuation() -> None:
    assert (
        cleaned("RT @someone: FREE flights?! https://t.co/x1 #Qadira") == "rt free flights qadira"
    )
    assert len(cleaned("ok 👍 https://example.org/very/long/link")) < MIN_CHARACTERS


def test_signatures_agree_with_similarity() -> None:
    book = Phrasebook(Random(3))
    copies = [book.near_duplicate(CLAIM, "en", "#claim") for _ in range(30)]
    other = "Volunteers are handing out water and blankets at the Qadira stadium tonight"
    signature = signatures([cleaned(CLAIM), *(cleaned(copy) for copy in copies), cleaned(other)])
    agree = (signature[1:-1] == signature[0]).mean(axis=1)
    assert (agree >= TEXT_SIMILARITY).mean() >= 0.9  # copy-paste variants are found
    assert (signature[-1] == signature[0]).mean() < 0.3  # another text is not
    assert (signatures([cleaned(CLAIM)]) == signature[0]).all()  # the same text, the same hashes


def _message(mid: str, user: str, text: str, at: float, repost: str = "") -> Message:
    return Message(mid, user, user, repost, "", text, at)


def test_near_duplicates_within_the_window_link_accounts(tmp_path: Path) -> None:
    rows = [
        ("1", "a", CLAIM, 0),
        ("2", "b", CLAIM + " !!!", 10),  # a copy, 10 s later
        ("3", "c", "😡 " + CLAIM.replace("every", "each"), 25),  # an edited copy
        ("4", "d", CLAIM, 500),  # a copy, too late
        ("5", "e", "ok", 1),  # too short to be evidence
        ("6", "f", "ok", 2),
        ("7", "g", "Volunteers hand out water and blankets at the stadium", 3),
    ]
    messages = [_message(mid, user, text, at) for mid, user, text, at in rows]
    edges = compute(messages, Network.CO_SIMILAR, window=60)
    assert {(a, b) for a, b, _ in edges.rows()} == {
        ("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"), ("b", "c"), ("c", "b")
    }  # fmt: skip
    source = tmp_path / "posts.csv"
    source.write_text(
        HEADER + "".join(f'{mid},{user},{user},,,"{text}",{at},\n' for mid, user, text, at in rows),
        encoding="utf-8",
    )
    fast, problems, posts = compute_file(source, Network.CO_SIMILAR, window=60)
    assert (problems, posts) == ([], 7)
    assert list(fast.rows()) == list(edges.rows())


def test_reposts_are_not_near_duplicates() -> None:
    messages = [_message("1", "a", CLAIM, 0), _message("2", "b", CLAIM, 5, repost="1")]
    assert len(compute(messages, Network.CO_SIMILAR, window=60)) == 0


def test_vector_pairs_respect_threshold_and_window() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(4, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    close = base[0] * 0.98 + base[1] * 0.2  # a translation: high cosine to row 0
    matrix = np.vstack([base, close / np.linalg.norm(close)]).astype(np.float32)
    time = np.asarray([0.0, 5.0, 10.0, 15.0, 30.0])
    pairs = list(vector_pairs(matrix, time, window=60, threshold=0.9))
    found = {
        (int(a), int(b)) for first, second in pairs for a, b in zip(first, second, strict=True)
    }
    assert found == {(0, 4)}
    late = time.copy()
    late[4] = 200.0
    assert not any(first.size for first, _ in vector_pairs(matrix, late, 60, 0.9))
    # Many rows in one time block are compared a block at a time, each pair once.
    many = np.repeat(matrix[:1], 1500, axis=0)
    blocks = list(vector_pairs(many, np.zeros(1500), window=60, threshold=0.9, block=400))
    assert sum(first.size for first, _ in blocks) == 1500 * 1499 // 2


def test_groups_are_connected_components() -> None:
    pairs = [(np.asarray([0, 1]), np.asarray([1, 2])), (np.asarray([4]), np.asarray([5]))]
    group = groups(7, pairs)
    assert group[0] == group[1] == group[2] != group[4] == group[5]
    assert group[3] == group[6] == -1


def test_stored_vectors_link_translations(sqlite_engine: Engine) -> None:
    """Posts in two languages with near-identical stored vectors are near-duplicates; without
    vectors their texts alone are not."""
    from ediplomacy.integrity.coordination_detect import similar_database_events
    from ediplomacy.store.vectors import write_vectors

    texts = {
        "1": ("a", "Kementerian memungut 2000 dolar untuk kursi penerbangan evakuasi", 0),
        "2": ("b", "The ministry charges 2000 dollars for a seat on the evacuation flight", 8),
        "3": ("c", "Volunteers are handing out water and blankets at the stadium", 20),
    }
    store_posts(sqlite_engine, [post(mid, user, at, text=text)
                                for mid, (user, text, at) in texts.items()])  # fmt: skip
    messages = list(messages_from_database(sqlite_engine))
    events, space = similar_database_events(sqlite_engine, messages, 60)
    assert (space, len(events)) == (None, 0)  # no vectors: different words, no match
    rng = np.random.default_rng(1)
    claim = rng.normal(size=32)
    other = rng.normal(size=32)
    vectors = [claim, claim + rng.normal(scale=0.05, size=32), other]
    ids = {m.message_id: m.post_id for m in messages}
    with sqlite_engine.begin() as conn:
        write_vectors(conn, space="accurate", model="test", version="1", vectors=[
            (int(ids[f"x:{mid}"] or 0), to_bytes(normalise(vector[None, :])[0]), 32)
            for mid, vector in zip(texts, vectors, strict=True)
        ])  # fmt: skip
    events, space = similar_database_events(sqlite_engine, messages, 60)
    assert space == "accurate"
    assert sorted(events.names[u] for u in events.user.tolist()) == ["x:a", "x:b"]
    assert events.post_ids is not None
