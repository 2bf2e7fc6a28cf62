"""The training loop: LoRA + heads on every task at once, scored on the validation sets.

Batches mix the tasks (a row's loss comes from its own task's head); rows of similar length are
batched together so that tweets are not padded to the length of reviews. The epoch with the best
validation score (the mean of SmSA, the UMSAB average and EmoT macro-F1) is the one kept. With
`ema`, an exponential moving average of the trained weights is scored beside the weights
themselves at each epoch's end, and whichever of the two scores higher stands for the epoch.
Seeded: the same data, options and seed give the same result on the CPU.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.finetune.adapter import TaskHead
from ediplomacy.nlp.finetune.averaging import WeightAverage, snapshot, trained_parameters
from ediplomacy.nlp.finetune.model import (
    E5Encoder,
    MultiTaskModel,
    add_lora,
    freeze_for_lora,
    lora_layers,
)
from ediplomacy.nlp.finetune.tasks import TASK_LABELS, TokenSet, macro_f1

Progress = Callable[[str], None]


@dataclass(slots=True)
class TrainOptions:
    """Everything that decides the result; written into the artifact and the model card."""

    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-4
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    warmup: float = 0.06  # share of the steps with a rising learning rate
    max_length: int = 128  # tokens per text, bos and eos included
    lora_rank: int = 16
    lora_alpha: float = 32.0
    lora_dropout: float = 0.05
    lora_targets: tuple[str, ...] = ("query", "key", "value", "attention_output")
    train_norms: bool = True
    frozen_layers: int = 0  # the lowest layers kept as they are, their outputs computed once
    dropout: float = 0.1
    class_balance: bool = True  # loss weights n / (k * n_class) within each task
    repeat: dict[str, float] = field(default_factory=dict)  # set name or prefix -> factor
    seed: int = 13
    device: str = "cpu"
    bf16: bool = False  # autocast to bfloat16 (the default on CUDA)
    max_steps: int = 0  # stop after this many steps (0: all epochs)
    time_limit: float = 0.0  # seconds of training, then the epoch is cut short (0: none)
    log_every: int = 20
    ema: float = 0.0  # decay of an exponential moving average of the trained weights (0: none)

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        out["lora_targets"] = list(self.lora_targets)
        return out


@dataclass(slots=True)
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor
    tasks: list[str]  # one per row
    hidden: torch.Tensor | None = None  # token vectors after the first `hidden_layers` layers
    hidden_layers: int = 0


@dataclass(slots=True)
class TrainResult:
    lora: dict[str, tuple[np.ndarray, np.ndarray]]
    lora_scale: float
    norms: dict[str, np.ndarray]
    heads: dict[str, TaskHead]
    validation: dict[str, object]  # figures of the kept epoch
    history: list[dict[str, object]]  # per epoch: loss, figures, seconds
    best_epoch: int
    seconds: float
    stopped_early: bool = False  # by max_steps or time_limit
    model: MultiTaskModel | None = None  # with the kept epoch's parameters


class Batcher:
    """Pads token rows into tensors: bos + ids (cut to max_length - 2) + eos, then pad."""

    def __init__(
        self, bos_id: int, eos_id: int, pad_id: int, max_length: int, device: torch.device
    ) -> None:
        if max_length < 3:
            raise ConfigurationError("max_length must leave room for a token besides bos and eos")
        self.bos, self.eos, self.pad = bos_id, eos_id, pad_id
        self.max_length = max_length
        self.device = device

    def __call__(self, sets: Sequence[TokenSet], rows: Sequence[tuple[int, int]]) -> Batch:
        pieces = [sets[s].row(r)[: self.max_length - 2] for s, r in rows]
        length = max(len(piece) for piece in pieces) + 2
        ids = np.full((len(rows), length), self.pad, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.int64)
        for i, piece in enumerate(pieces):
            ids[i, 0] = self.bos
            ids[i, 1 : len(piece) + 1] = piece
            ids[i, len(piece) + 1] = self.eos
            mask[i, : len(piece) + 2] = 1
        labels = np.asarray([sets[s].labels[r] for s, r in rows], dtype=np.int64)
        return Batch(
            torch.from_numpy(ids).to(self.device),
            torch.from_numpy(mask).to(self.device),
            torch.from_numpy(labels).to(self.device),
            [sets[s].task for s, _ in rows],
        )


class LowerCache:
    """The token vectors after the frozen lowest layers, computed once for every row.

    With `TrainOptions.frozen_layers` = k, layers 0..k-1 have no LoRA and no trained norms, so
    their output for a text never changes: each epoch then runs only the upper layers, forwards
    and backwards (on 2 CPU cores, k = 6 halves an epoch). Vectors are float32, one ragged
    array per set (flat + offsets, as `TokenSet`); dropout in the frozen layers is given up.
    """

    def __init__(self, layers: int, batcher: Batcher) -> None:
        self.layers = layers
        self.batcher = batcher
        self._sets: dict[int, tuple[TokenSet, np.ndarray, np.ndarray]] = {}

    @torch.no_grad()
    def add(self, model: MultiTaskModel, token_sets: Sequence[TokenSet], batch_size: int) -> None:
        """Runs the frozen layers over every row of `token_sets` (eval mode) and keeps them."""
        was_training = model.training
        model.eval()
        for token_set in token_sets:
            lengths = np.minimum(token_set.lengths(), self.batcher.max_length - 2) + 2
            offsets = np.zeros(len(token_set) + 1, dtype=np.int64)
            offsets[1:] = np.cumsum(lengths)
            flat = np.zeros((int(offsets[-1]), model.encoder.shape.hidden_size), np.float32)
            rows = [(0, r) for r in range(len(token_set))]
            for chunk in length_batches([token_set], rows, batch_size, None):
                batch = self.batcher([token_set], chunk)
                hidden = model.encoder.hidden_states(
                    batch.input_ids, batch.attention_mask, layers=self.layers
                )
                vectors = hidden.float().cpu().numpy()
                for i, (_, r) in enumerate(chunk):
                    flat[offsets[r] : offsets[r + 1]] = vectors[i, : lengths[r]]
            self._sets[id(token_set)] = (token_set, flat, offsets)
        model.train(was_training)

    def __call__(self, sets: Sequence[TokenSet], rows: Sequence[tuple[int, int]]) -> Batch:
        """The batch `Batcher` gives, with the cached token vectors padded into `hidden`."""
        batch = self.batcher(sets, rows)
        hidden = np.zeros((*batch.input_ids.shape, self._width()), dtype=np.float32)
        for i, (s, r) in enumerate(rows):
            _, flat, offsets = self._sets[id(sets[s])]
            hidden[i, : offsets[r + 1] - offsets[r]] = flat[offsets[r] : offsets[r + 1]]
        batch.hidden = torch.from_numpy(hidden).to(self.batcher.device)
        batch.hidden_layers = self.layers
        return batch

    def _width(self) -> int:
        return next(iter(self._sets.values()))[1].shape[1]


MakeBatch = Callable[[Sequence[TokenSet], Sequence[tuple[int, int]]], Batch]


def unit_vectors(model: MultiTaskModel, batch: Batch) -> torch.Tensor:
    """The batch's L2-normalised vectors; from its cached token vectors where it has them."""
    if batch.hidden is None:
        return model.unit_vectors(batch.input_ids, batch.attention_mask)
    pooled = model.encoder.pooled_from(batch.hidden, batch.attention_mask, batch.hidden_layers)
    return F.normalize(pooled.float(), dim=-1)


def repeat_factor(name: str, repeat: Mapping[str, float]) -> float:
    """The factor of the most specific matching key (`umsab-hi` before `umsab`), else 1."""
    matches = [key for key in repeat if name == key or name.startswith(f"{key}-")]
    return repeat[max(matches, key=len)] if matches else 1.0


def epoch_rows(
    sets: Sequence[TokenSet], options: TrainOptions, rng: np.random.Generator
) -> list[tuple[int, int]]:
    """Every training row (repeated or thinned by `options.repeat`), in a shuffled order."""
    rows: list[tuple[int, int]] = []
    for index, token_set in enumerate(sets):
        factor = repeat_factor(token_set.name, options.repeat)
        whole, part = int(factor), factor - int(factor)
        chosen = list(range(len(token_set))) * whole
        if part > 0:
            extra = rng.permutation(len(token_set))[: round(part * len(token_set))]
            chosen += sorted(int(x) for x in extra)
        rows += [(index, r) for r in chosen]
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def length_batches(
    sets: Sequence[TokenSet],
    rows: Sequence[tuple[int, int]],
    batch_size: int,
    rng: np.random.Generator | None,
) -> list[list[tuple[int, int]]]:
    """Batches of rows of similar length: sorted within windows of 50 batches, then shuffled."""
    window = batch_size * 50
    batches: list[list[tuple[int, int]]] = []
    for start in range(0, len(rows), window):
        chunk = sorted(rows[start : start + window], key=lambda sr: len(sets[sr[0]].row(sr[1])))
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    if rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def class_weights(sets: Sequence[TokenSet], device: torch.device) -> dict[str, torch.Tensor]:
    """Per task, n / (k * n_c) over its training rows (a class absent from them gets 0)."""
    weights = {}
    for task, labels in TASK_LABELS.items():
        counts = np.zeros(len(labels))
        for token_set in sets:
            if token_set.task == task:
                counts += np.bincount(token_set.labels, minlength=len(labels))
        if counts.sum() == 0:
            continue
        with np.errstate(divide="ignore"):
            w = np.where(counts > 0, counts.sum() / (len(labels) * counts), 0.0)
        weights[task] = torch.tensor(w, dtype=torch.float32, device=device)
    return weights


def batch_loss(
    model: MultiTaskModel, batch: Batch, weights: Mapping[str, torch.Tensor] | None = None
) -> torch.Tensor:
    """The mean over the batch's rows of each row's cross-entropy under its own task's head."""
    vectors = unit_vectors(model, batch)
    total = vectors.new_zeros(())
    for task in sorted(set(batch.tasks)):
        rows = torch.tensor([t == task for t in batch.tasks], device=vectors.device)
        logits = model.logits(task, vectors[rows]).float()
        weight = weights.get(task) if weights else None
        total = total + F.cross_entropy(logits, batch.labels[rows], weight=weight, reduction="sum")
    return total / len(batch.tasks)


@torch.no_grad()
def predict(
    model: MultiTaskModel, token_set: TokenSet, batcher: MakeBatch, batch_size: int, bf16: bool
) -> np.ndarray:
    """Label indices the model gives the rows of `token_set`."""
    model.eval()
    rows = [(0, r) for r in range(len(token_set))]
    out = np.zeros(len(token_set), dtype=np.int64)
    for chunk in length_batches([token_set], rows, batch_size, None):
        batch = batcher([token_set], chunk)
        with _autocast(batch.labels.device, bf16):
            vectors = unit_vectors(model, batch)
            logits = model.logits(token_set.task, vectors)
        out[[r for _, r in chunk]] = logits.argmax(dim=1).cpu().numpy()
    return out


def evaluate(
    model: MultiTaskModel,
    sets: Sequence[TokenSet],
    batcher: MakeBatch,
    batch_size: int,
    bf16: bool = False,
) -> dict[str, Any]:
    """Macro-F1 of every validation set, the UMSAB average and the overall score."""
    figures: dict[str, dict[str, Any]] = {}
    for token_set in sets:
        predicted = predict(model, token_set, batcher, batch_size, bf16)
        n_classes = len(TASK_LABELS[token_set.task])
        figures[token_set.name] = {
            "task": token_set.task,
            "language": token_set.language,
            "n": len(token_set),
            "macro_f1": round(macro_f1(token_set.labels, predicted, n_classes), 4),
        }
    return {"sets": figures, **summary(figures)}


def summary(figures: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """SmSA, the UMSAB average, EmoT and their mean (`score`), over the sets present."""
    out: dict[str, float] = {}
    umsab = [float(f["macro_f1"]) for name, f in figures.items() if name.startswith("umsab-")]
    if "smsa" in figures:
        out["smsa"] = float(figures["smsa"]["macro_f1"])
    if umsab:
        out["umsab_average"] = round(float(np.mean(umsab)), 4)
    if "emot" in figures:
        out["emot"] = float(figures["emot"]["macro_f1"])
    if out:
        out["score"] = round(float(np.mean(list(out.values()))), 4)
    return out


class Schedule:
    """Linear warm-up then linear decay to 0 at the last step; with a time limit, the number
    of epochs is cut to what fits once the speed is known (steps 10 to 60 are timed)."""

    PROBE_FROM, PROBE_TO = 10, 60
    EVAL_SHARE = 0.1  # validation adds about this much to an epoch

    def __init__(self, steps_per_epoch: int, options: TrainOptions) -> None:
        self.steps_per_epoch = steps_per_epoch
        self.options = options
        self.epochs = options.epochs
        self._probe_started = 0.0
        self._set_total()

    def _set_total(self) -> None:
        self.total = self.steps_per_epoch * self.epochs
        if self.options.max_steps:
            self.total = min(self.total, self.options.max_steps)
        self.warmup = max(1, round(self.options.warmup * self.total))

    def rate(self, step: int) -> float:
        if step < self.warmup:
            return (step + 1) / self.warmup
        return max(0.0, (self.total - step) / max(1, self.total - self.warmup))

    def probe(self, step: int, elapsed: float) -> str | None:
        """At PROBE_FROM, starts the clock; at PROBE_TO, fits the epochs to the time limit."""
        if step == self.PROBE_FROM:
            self._probe_started = elapsed
            return None
        per_step = (elapsed - self._probe_started) / (self.PROBE_TO - self.PROBE_FROM)
        passes = 2 if self.options.ema else 1  # the weights, and their average when kept
        per_epoch = per_step * self.steps_per_epoch * (1 + self.EVAL_SHARE * passes)
        fit = max(1, int((self.options.time_limit - elapsed + per_step * step) // per_epoch))
        if fit >= self.epochs:
            return None
        self.epochs = fit
        self._set_total()
        return (
            f"time limit {self.options.time_limit:g}s: {per_epoch:.0f}s an epoch, "
            f"training {fit} epochs instead of {self.options.epochs}"
        )


def _autocast(device: torch.device, bf16: bool) -> torch.autocast:
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16)


def build_model(
    weights: Mapping[str, np.ndarray], options: TrainOptions, *, num_heads: int, eps: float
) -> tuple[MultiTaskModel, list[str]]:
    """The encoder with LoRA and the heads, seeded, on `options.device`, trainable parts set."""
    torch.manual_seed(options.seed)
    encoder = E5Encoder.from_weights(weights, num_heads=num_heads, eps=eps, dropout=options.dropout)
    if not 0 <= options.frozen_layers < encoder.shape.num_layers:
        raise ConfigurationError(
            f"frozen_layers must be 0 to {encoder.shape.num_layers - 1}: "
            f"the encoder has {encoder.shape.num_layers} layers"
        )
    wrapped = add_lora(
        encoder,
        options.lora_targets,
        options.lora_rank,
        options.lora_alpha,
        options.lora_dropout,
        from_layer=options.frozen_layers,
    )
    freeze_for_lora(encoder, train_norms=options.train_norms, from_layer=options.frozen_layers)
    tasks = {task: len(labels) for task, labels in TASK_LABELS.items()}
    model = MultiTaskModel(encoder, tasks, dropout=options.dropout)
    return model.to(options.device), wrapped


def export(model: MultiTaskModel, options: TrainOptions) -> tuple[
    dict[str, tuple[np.ndarray, np.ndarray]], float, dict[str, np.ndarray], dict[str, TaskHead]
]:  # fmt: skip
    """The LoRA matrices, trained LayerNorms and heads (scale folded in) as numpy arrays."""
    lora = {
        name.removeprefix("encoder."): (
            layer.lora_a.detach().float().cpu().numpy(),
            layer.lora_b.detach().float().cpu().numpy(),
        )
        for name, layer in lora_layers(model)
    }
    norms = {}
    if options.train_norms:
        for name, parameter in model.encoder.named_parameters():
            if "LayerNorm" in name and parameter.requires_grad:
                norms[name] = parameter.detach().float().cpu().numpy()
    heads = {}
    for task, head in model.heads.items():
        assert isinstance(head, torch.nn.Linear)
        heads[task] = TaskHead(
            TASK_LABELS[task],
            (head.weight.detach().float().cpu().numpy().T * model.HEAD_SCALE).astype(np.float32),
            head.bias.detach().float().cpu().numpy().astype(np.float32),
        )
    return lora, options.lora_alpha / options.lora_rank, norms, heads


def train(
    train_sets: Sequence[TokenSet],
    valid_sets: Sequence[TokenSet],
    weights: Mapping[str, np.ndarray],
    special_ids: tuple[int, int, int],
    options: TrainOptions,
    *,
    num_heads: int = 12,
    eps: float = 1e-12,
    progress: Progress = print,
) -> TrainResult:
    """Fine-tunes LoRA + heads; returns the kept epoch's parts and every epoch's figures."""
    started = time.perf_counter()
    device = torch.device(options.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigurationError("--device cuda was asked for but torch sees no CUDA device")
    if not 0 <= options.ema < 1:
        raise ConfigurationError(f"ema is a decay between 0 (none) and 1, not {options.ema}")
    rng = np.random.default_rng(options.seed)
    model, wrapped = build_model(weights, options, num_heads=num_heads, eps=eps)
    trainable = list(trained_parameters(model).values())
    progress(
        f"model: {len(wrapped)} LoRA layers, "
        f"{sum(p.numel() for p in trainable):,} trainable parameters, device {device}"
    )
    head_params = {id(p) for p in model.heads.parameters()}
    groups = [
        {
            "params": [p for p in trainable if id(p) not in head_params and p.ndim > 1],
            "lr": options.learning_rate,
            "weight_decay": options.weight_decay,
        },
        {
            "params": [p for p in trainable if id(p) not in head_params and p.ndim == 1],
            "lr": options.learning_rate,
            "weight_decay": 0.0,
        },
        {
            "params": list(model.heads.parameters()),
            "lr": options.head_learning_rate,
            "weight_decay": options.weight_decay,
        },
    ]
    optimizer = torch.optim.AdamW([g for g in groups if g["params"]])
    plain = Batcher(*special_ids, options.max_length, device)
    batcher: MakeBatch = plain
    if options.frozen_layers:
        cache_started = time.perf_counter()
        cache = LowerCache(options.frozen_layers, plain)
        cache.add(model, [*train_sets, *valid_sets], options.batch_size * 2)
        batcher = cache
        progress(
            f"ran the {options.frozen_layers} frozen layers over "
            f"{sum(len(s) for s in [*train_sets, *valid_sets])} texts once "
            f"in {time.perf_counter() - cache_started:.0f}s"
        )
    loss_weights = class_weights(train_sets, device) if options.class_balance else None

    steps_per_epoch = math.ceil(
        len(epoch_rows(train_sets, options, np.random.default_rng(0))) / options.batch_size
    )
    schedule = Schedule(steps_per_epoch, options)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule.rate)
    history: list[dict[str, object]] = []
    stopped = False

    def out_of_time() -> bool:
        return bool(options.time_limit) and time.perf_counter() - started > options.time_limit

    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    average = WeightAverage(model, options.ema) if options.ema else None

    def score_on_valid() -> dict[str, Any]:
        return evaluate(model, valid_sets, batcher, options.batch_size * 2, options.bf16)

    step = 0
    epoch = 0
    while epoch < schedule.epochs:
        epoch += 1
        model.train()
        epoch_started = time.perf_counter()
        batches = length_batches(
            train_sets, epoch_rows(train_sets, options, rng), options.batch_size, rng
        )
        losses: list[torch.Tensor] = []  # kept on the device: no sync each step
        seen = 0
        for batch_rows in batches:
            if (options.max_steps and step >= options.max_steps) or out_of_time():
                stopped = True
                break
            batch = batcher(train_sets, batch_rows)
            with _autocast(device, options.bf16):
                loss = batch_loss(model, batch, loss_weights)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            if average is not None:
                average.update()
            step += 1
            seen += len(batch_rows)
            losses.append(loss.detach())
            if options.time_limit and step in (Schedule.PROBE_FROM, Schedule.PROBE_TO):
                message = schedule.probe(step, time.perf_counter() - started)
                if message:
                    progress(message)
            if step % options.log_every == 0 or step == schedule.total:
                elapsed = time.perf_counter() - epoch_started
                recent = float(torch.stack(losses[-options.log_every :]).mean())
                progress(
                    f"epoch {epoch}/{schedule.epochs} step {step}/{schedule.total} "
                    f"loss {recent:.4f} {seen / elapsed:.1f} rows/s"
                )
        if not losses and history:
            break  # stopped before this epoch's first step: the model is the last epoch's
        figures = score_on_valid()
        state = snapshot(trained_parameters(model))
        if average is not None:
            with average.swapped():
                averaged = score_on_valid()
            scores = {"trained_score": figures.get("score"), "average_score": averaged.get("score")}
            if float(averaged.get("score", 0.0)) > float(figures.get("score", 0.0)):
                figures = {**averaged, "weights": "average", **scores}
                state = snapshot(average.average)
            else:
                figures = {**figures, "weights": "trained", **scores}
        seconds = round(time.perf_counter() - epoch_started, 1)
        mean_loss = round(float(torch.stack(losses).mean()), 4) if losses else None
        history.append({"epoch": epoch, "loss": mean_loss, "seconds": seconds, **figures})
        progress(
            f"epoch {epoch}: loss {mean_loss} valid "
            + " ".join(f"{k} {v}" for k, v in figures.items() if k != "sets")
            + f" ({seconds}s)"
        )
        score = float(figures.get("score", 0.0))
        if best is None or score > best[0]:
            best = (score, epoch, state)
        if stopped:
            break
    assert best is not None
    with torch.no_grad():
        parameters = dict(model.named_parameters())
        for name, value in best[2].items():
            parameters[name].copy_(value)
    lora, scale, norms, heads = export(model, options)
    kept = next(h for h in history if h["epoch"] == best[1])
    return TrainResult(
        lora,
        scale,
        norms,
        heads,
        {k: v for k, v in kept.items() if k not in ("loss", "seconds")},
        history,
        best[1],
        round(time.perf_counter() - started, 1),
        stopped,
        model.eval(),
    )
