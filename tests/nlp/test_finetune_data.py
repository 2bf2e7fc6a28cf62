"""Fine-tuning without torch: the packed weights and sets, the artifact and its merge, the card."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.evaluation import SENTIMENT_LABELS, macro_scores
from ediplomacy.nlp.finetune.adapter import TaskHead, load_adapter, merge_adapter, save_adapter
from ediplomacy.nlp.finetune.card import render_card
from ediplomacy.nlp.finetune.pack import compact, expand, read_pack, write_pack
from ediplomacy.nlp.finetune.tasks import macro_f1, shared_sets, tokenize_set
from tests.nlp.finetune_fixtures import learnable_set, q4_values, tiny_weights

WORDS = "embeddings.word_embeddings.weight"


def test_q4_values_are_stored_in_four_bits_and_come_back_exactly() -> None:
    values = q4_values(np.random.default_rng(1), (64, 96))
    packed = compact(values)
    assert packed is not None
    codes, scales = packed
    assert codes.nbytes + scales.nbytes < values.nbytes / 6
    assert np.array_equal(expand(codes, scales, values.shape), values)


def test_values_not_of_q4_form_are_refused() -> None:
    values = np.random.default_rng(2).normal(size=(4, 64)).astype(np.float32)
    assert compact(values) is None
    assert compact(np.zeros((3, 10), dtype=np.float32)) is None  # not whole blocks


def test_a_pack_gives_back_the_sets_and_the_weights_rows_they_use(tmp_path: Path) -> None:
    weights = tiny_weights()
    weights["embeddings.position_embeddings.weight"][0, 0] = 0.123456789  # not Q4: kept as is
    train = [learnable_set("smsa", 20, 1), learnable_set("emot", 15, 2)]
    valid = [learnable_set("smsa", 6, 3), learnable_set("emot", 5, 4)]
    path = tmp_path / "pack.npz"
    counts = write_pack(
        path,
        {"train": train, "valid": valid},
        weights,
        bos_id=0,
        eos_id=2,
        pad_id=1,
        prefix="query: ",
        max_tokens=30,
    )
    pack = read_pack(path)

    used = sorted({0, 1, 2} | {int(i) for s in train + valid for i in s.ids})
    assert counts["vocab_rows"] == len(used) == len(pack.weights[WORDS])
    assert np.array_equal(pack.weights[WORDS], weights[WORDS][used])
    for name, values in weights.items():
        if name != WORDS:
            assert pack.weights[name].dtype == np.float32
            assert np.array_equal(pack.weights[name], values), name
    assert (pack.bos_id, pack.eos_id, pack.pad_id) == (0, 2, 1)
    assert pack.prefix == "query: " and pack.max_tokens == 30
    for split, originals in (("train", train), ("valid", valid)):
        for stored, original in zip(pack.sets[split], originals, strict=True):
            assert (stored.name, stored.task) == (original.name, original.task)
            assert np.array_equal(stored.labels, original.labels)
            assert np.array_equal(stored.offsets, original.offsets)
            # renumbered ids point at the same embedding rows
            assert np.array_equal(pack.weights[WORDS][stored.ids], weights[WORDS][original.ids])


def test_a_missing_pack_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="--pack"):
        read_pack(tmp_path / "none.npz")


def test_sample_spreads_over_the_set() -> None:
    token_set = learnable_set("umsab-en", 50, 5)
    sample = token_set.sample(5)
    chosen = [0, 12, 24, 37, 49]
    assert len(sample) == 5
    assert np.array_equal(sample.labels, token_set.labels[chosen])
    for i, row in enumerate(chosen):
        assert np.array_equal(sample.row(i), token_set.row(row))
    assert token_set.sample(500) is token_set


def test_macro_f1_agrees_with_the_evaluation_module() -> None:
    rng = np.random.default_rng(6)
    gold, predicted = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    predicted[gold == 1] = 1  # some agreement
    expected, _ = macro_scores(
        [SENTIMENT_LABELS[i] for i in gold],
        [SENTIMENT_LABELS[i] for i in predicted],
        SENTIMENT_LABELS,
    )
    assert macro_f1(gold, predicted, 3) == pytest.approx(expected)
    assert macro_f1(np.array([0, 0]), np.array([0, 0]), 3) == 1.0


def test_shared_sets_tokenize_with_the_e5_tokenizer(shared_data: Path) -> None:
    from ediplomacy.nlp.e5_tokenizer import E5Tokenizer

    tokenizer = E5Tokenizer()
    sets = shared_sets(shared_data, "valid")
    assert [name for name, *_ in sets][:2] == ["smsa", "umsab-ar"] and sets[-1][0] == "emot"
    name, language, texts, labels = sets[0]
    token_set = tokenize_set(
        name, language, texts[:20], labels[:20], tokenizer.content_ids, prefix="query: ",
        max_tokens=8,
    )  # fmt: skip
    expected = tokenizer.content_ids(texts[:3], "query: ")
    for i in range(3):
        assert token_set.row(i).tolist() == expected[i][:8]
    assert token_set.lengths().max() == 8
    assert [("negative", "neutral", "positive")[i] for i in token_set.labels] == labels[:20]
    with pytest.raises(ValueError, match="happy"):
        tokenize_set("smsa", "id", ["x"], ["happy"], tokenizer.content_ids, prefix="", max_tokens=8)


Lora = dict[str, tuple[np.ndarray, np.ndarray]]


def _adapter_parts(
    rng: np.random.Generator,
) -> tuple[Lora, dict[str, np.ndarray], dict[str, TaskHead]]:
    lora = {
        "encoder.layer.1.attention.self.query": (
            rng.normal(size=(4, 32)).astype(np.float16).astype(np.float32),
            rng.normal(size=(32, 4)).astype(np.float16).astype(np.float32),
        )
    }
    norms = {"encoder.layer.0.output.LayerNorm.weight": rng.normal(size=32).astype(np.float32)}
    heads = {
        "sentiment": TaskHead(
            ("negative", "neutral", "positive"),
            rng.normal(size=(32, 3)).astype(np.float32),
            rng.normal(size=3).astype(np.float32),
        )
    }
    return lora, norms, heads


def test_the_adapter_round_trips_and_merges_into_the_base(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    lora, norms, heads = _adapter_parts(rng)
    path = tmp_path / "encoder_lora.npz"
    save_adapter(path, lora, 2.0, norms, heads, {"version": "1", "prefix": "query: "})
    adapter = load_adapter(path)
    assert adapter.meta["prefix"] == "query: " and adapter.lora_scale == 2.0
    assert adapter.version.startswith("1-") and len(adapter.fingerprint) == 10
    assert adapter.heads["sentiment"].labels == ("negative", "neutral", "positive")
    assert np.array_equal(adapter.heads["sentiment"].weight, heads["sentiment"].weight)

    base = tiny_weights()
    merged = merge_adapter(base, adapter)
    a, b = lora["encoder.layer.1.attention.self.query"]
    name = "encoder.layer.1.attention.self.query.weight"
    assert np.allclose(merged[name], base[name] + 2.0 * b @ a, atol=1e-5)
    assert not np.allclose(merged[name], base[name])
    norm = "encoder.layer.0.output.LayerNorm.weight"
    assert np.array_equal(merged[norm], norms[norm])
    untouched = "encoder.layer.0.attention.self.key.weight"
    assert merged[untouched] is base[untouched]

    vectors = rng.normal(size=(5, 32)).astype(np.float32)
    proba = adapter.heads["sentiment"].predict_proba(vectors)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(
        proba.argmax(axis=1),
        (vectors @ heads["sentiment"].weight + heads["sentiment"].bias).argmax(1),
    )


def test_an_adapter_for_another_encoder_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    lora, norms, heads = _adapter_parts(rng)
    path = tmp_path / "a.npz"
    save_adapter(path, lora, 1.0, norms, heads, {})
    with pytest.raises(ConfigurationError, match="lacks"):
        merge_adapter(tiny_weights(layers=1), load_adapter(path))
    with pytest.raises(ConfigurationError, match="train one"):
        load_adapter(tmp_path / "missing.npz")


def test_the_card_lists_every_set_and_the_settings() -> None:
    sets = {
        "smsa": {"task": "sentiment", "language": "id", "n": 1260, "macro_f1": 0.912},
        "umsab-hi": {"task": "sentiment", "language": "hi", "n": 324, "macro_f1": 0.41},
        "emot": {"task": "emotion", "language": "id", "n": 440, "macro_f1": 0.7},
    }
    meta = {
        "base_model": "multilingual-e5-small",
        "lora_rank": 16,
        "lora_alpha": 32.0,
        "lora_targets": ["query", "value"],
        "prefix": "query: ",
        "max_length": 128,
        "seconds": 300.0,
        "device": "NVIDIA H100",
        "torch": "2.13.0",
        "best_epoch": 2,
        "options": {"epochs": 3, "seed": 13, "train_norms": True, "learning_rate": 5e-4},
        "train_rows": {"smsa": 11000, "umsab-hi": 1839, "emot": 3521},
        "validation": {"sets": sets, "smsa": 0.912, "umsab_average": 0.41, "emot": 0.7},
        "history": [{"epoch": 1, "loss": 0.8, "seconds": 90, "smsa": 0.9}],
    }
    card = render_card(meta, 2_500_000)
    assert "| smsa | sentiment | id | 11000 | 1260 | **0.912** |" in card
    assert "| umsab-hi | sentiment | hi | 1839 | 324 | **0.410** |" in card
    assert "| learning_rate | 0.0005 |" in card and "seed 13" in card and "2.5 MB" in card
    assert "Apache-2.0" in card and "quick run" not in card
    assert "quick run" in render_card({**meta, "quick_run": True}, 1)
    assert "| 1 | 0.800 | 0.900 | - | - | 90 |" in card and "moving average" not in card


def test_the_card_says_which_weights_each_epoch_kept_when_averaging() -> None:
    meta = {
        "base_model": "multilingual-e5-small", "lora_rank": 16, "lora_alpha": 32.0,
        "lora_targets": ["query"], "prefix": "query: ", "max_length": 128, "seconds": 9.0,
        "device": "cpu", "torch": "2.13.0", "best_epoch": 1,
        "options": {"epochs": 1, "seed": 13, "train_norms": True, "ema": 0.999},
        "train_rows": {}, "validation": {"sets": {}},
        "history": [
            {"epoch": 1, "loss": 0.5, "seconds": 60, "smsa": 0.9, "weights": "average",
             "trained_score": 0.71, "average_score": 0.72},
        ],
    }  # fmt: skip
    card = render_card(meta, 1)
    assert "moving average (decay 0.999)" in card
    assert "| 1 | 0.500 | 0.900 | - | - | 60 | average | 0.710 | 0.720 |" in card
