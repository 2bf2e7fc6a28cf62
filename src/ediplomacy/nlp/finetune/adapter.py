"""The committed fine-tuning artifact: LoRA matrices, LayerNorms and task heads in one `.npz`.

Keys (numpy only, no pickle):

- `lora:<module>:a` [rank, in] and `lora:<module>:b` [out, rank], float16, for each adapted
  Linear (`<module>` a Hugging Face name such as `encoder.layer.3.attention.self.query`); the
  merged weight is `W + lora_scale * B @ A`;
- `norm:<name>`, float32: LayerNorm weights and biases that replace the base ones;
- `head:<task>:weight` [hidden, classes] and `head:<task>:bias`, float32, with `head:<task>:labels`:
  a linear head over the L2-normalised mean-pooled vector (the layout of `ediplomacy.nlp.heads`);
- `meta`: JSON with the base model, prefix, max_length, pooling, LoRA rank/alpha/targets,
  version, seed and the validation figures.

`merge_adapter` folds it into the base weights, so an ONNX or numpy encoder built from the result
needs no LoRA code.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ediplomacy.domain.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class TaskHead:
    """A linear head over unit vectors: weight [hidden, classes], bias [classes]."""

    labels: tuple[str, ...]
    weight: np.ndarray
    bias: np.ndarray

    def predict_proba(self, unit_vectors: np.ndarray) -> np.ndarray:
        logits = np.asarray(unit_vectors, dtype=np.float32) @ self.weight + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True, slots=True)
class EncoderAdapter:
    """What fine-tuning changed in the base encoder, and the heads it trained."""

    lora: dict[str, tuple[np.ndarray, np.ndarray]]  # module -> (A, B)
    lora_scale: float
    norms: dict[str, np.ndarray]
    heads: dict[str, TaskHead]
    meta: dict[str, object]
    fingerprint: str = ""

    @property
    def version(self) -> str:
        return f"{self.meta.get('version', '?')}-{self.fingerprint}"


def save_adapter(
    path: Path,
    lora: Mapping[str, tuple[np.ndarray, np.ndarray]],
    lora_scale: float,
    norms: Mapping[str, np.ndarray],
    heads: Mapping[str, TaskHead],
    meta: Mapping[str, object],
) -> int:
    """Writes the artifact; returns its size in bytes."""
    arrays: dict[str, np.ndarray] = {}
    for module, (a, b) in lora.items():
        arrays[f"lora:{module}:a"] = np.asarray(a, dtype=np.float16)
        arrays[f"lora:{module}:b"] = np.asarray(b, dtype=np.float16)
    for name, values in norms.items():
        arrays[f"norm:{name}"] = np.asarray(values, dtype=np.float32)
    for task, head in heads.items():
        arrays[f"head:{task}:weight"] = np.asarray(head.weight, dtype=np.float32)
        arrays[f"head:{task}:bias"] = np.asarray(head.bias, dtype=np.float32)
        arrays[f"head:{task}:labels"] = np.asarray(head.labels)
    arrays["meta"] = np.asarray(json.dumps({**meta, "lora_scale": lora_scale}, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def load_adapter(path: Path) -> EncoderAdapter:
    """The artifact at `path`, as written by `save_adapter`."""
    try:
        content = path.read_bytes()
        with np.load(io.BytesIO(content), allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except FileNotFoundError:
        raise ConfigurationError(
            f"no encoder adapter at {path}: train one with scripts/train_encoder.py"
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"cannot read encoder adapter {path}: {error}") from None
    if "meta" not in arrays:
        raise ConfigurationError(f"{path} is not an encoder adapter (no meta)")
    meta = json.loads(str(arrays["meta"]))
    lora: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    norms: dict[str, np.ndarray] = {}
    heads: dict[str, TaskHead] = {}
    for key, values in arrays.items():
        kind, _, rest = key.partition(":")
        if kind == "lora" and rest.endswith(":a"):
            module = rest.removesuffix(":a")
            lora[module] = (
                values.astype(np.float32),
                arrays[f"lora:{module}:b"].astype(np.float32),
            )
        elif kind == "norm":
            norms[rest] = values.astype(np.float32)
        elif kind == "head" and rest.endswith(":weight"):
            task = rest.removesuffix(":weight")
            heads[task] = TaskHead(
                tuple(str(label) for label in arrays[f"head:{task}:labels"]),
                values.astype(np.float32),
                arrays[f"head:{task}:bias"].astype(np.float32),
            )
    fingerprint = hashlib.sha256(content).hexdigest()[:10]
    return EncoderAdapter(lora, float(meta["lora_scale"]), norms, heads, meta, fingerprint)


def merge_adapter(
    weights: Mapping[str, np.ndarray], adapter: EncoderAdapter
) -> dict[str, np.ndarray]:
    """The base weights with the LoRA updates added and the LayerNorms replaced (float32)."""
    merged = dict(weights)
    for module, (a, b) in adapter.lora.items():
        name = f"{module}.weight"
        if name not in merged:
            raise ConfigurationError(f"the adapter changes {name}, which the base encoder lacks")
        merged[name] = (merged[name] + adapter.lora_scale * (b @ a)).astype(np.float32)
    for name, values in adapter.norms.items():
        if name not in merged or merged[name].shape != values.shape:
            raise ConfigurationError(f"the adapter's {name} does not fit the base encoder")
        merged[name] = values
    return merged
