"""The model card of the fine-tuned encoder, written from the artifact's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ediplomacy.nlp.finetune.tasks import SET_SOURCES

# The bundled heads over the fast embedder (MODEL_CARD.md), for comparison.
FROZEN_FIGURES = {"smsa": 0.865, "umsab_average": 0.600, "emot": 0.659}
AIMS = {"smsa": 0.90, "umsab_average": 0.68, "emot": 0.75}


def _f(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "-"


def render_card(meta: Mapping[str, Any], size_bytes: int) -> str:
    """Markdown: data and licenses, settings, validation macro-F1 per set and language, epochs."""
    options = meta["options"]
    validation = meta["validation"]
    sets = validation["sets"]
    lines = [
        "# Model card: the fine-tuned encoder (LoRA + heads)",
        "",
        "Written by `scripts/train_encoder.py`; do not edit by hand, rerun the script "
        "(docs/models.md, *Fine-tuning*).",
        "",
    ]
    if meta.get("quick_run"):
        lines += [
            "**A quick run (--max-rows / --max-steps): these figures are not the model's.**",
            "",
        ]
    lines += [
        f"- Base: {meta['base_model']}, frozen; LoRA rank {meta['lora_rank']}, alpha "
        f"{meta['lora_alpha']:g} on {', '.join(meta['lora_targets'])} of "
        + _layers_trained(int(options.get("frozen_layers", 0)))
        + (", LayerNorms trained" if options["train_norms"] else "")
        + "; word and position embeddings frozen.",
        f"- Input: `{meta['prefix']}` + text, at most {meta['max_length']} tokens "
        "(`<s>` and `</s>` included); mean pooling over the tokens, L2-normalised; one linear "
        "head per task (`sentiment`, `emotion`) over that unit vector.",
        f"- File: `encoder_lora.npz`, {size_bytes / 1e6:.1f} MB (LoRA matrices float16, "
        "LayerNorms and heads float32); format in `ediplomacy/nlp/finetune/adapter.py`.",
        f"- Trained in {meta['seconds']} s on {meta['device']} (torch {meta['torch']}), "
        f"seed {options['seed']}; kept epoch {meta['best_epoch']} of {len(meta['history'])} "
        + (
            f"(cut from {options['epochs']} by the time limit) "
            if len(meta["history"]) < options["epochs"]
            else ""
        )
        + "(best mean of SmSA, UMSAB average and EmoT on valid).",
        "",
        "## Data",
        "",
    ]
    lines += [f"- {source}." for source in SET_SOURCES.values()]
    lines += [
        "",
        "Trained on the train splits, every choice made on the valid splits; the test splits are "
        "held out and were never seen. The figures are validation figures, optimistic by the "
        "choice of epoch and settings. Texts are cleaned as posts are (`text_for_models`).",
        "",
        "## Settings",
        "",
        "| option | value |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in options.items() if key != "log_every"]
    lines += [
        "",
        "## Validation macro-F1",
        "",
        "| data | task | language | train | valid | macro-F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, figures in sets.items():
        lines.append(
            f"| {name} | {figures['task']} | {figures['language']} | "
            f"{meta['train_rows'].get(name, '-')} | {figures['n']} | "
            f"**{_f(figures['macro_f1'])}** |"
        )
    lines += [
        "",
        "| summary | fine-tuned | aim | heads over the fast embedder (MODEL_CARD.md) |",
        "|---|---|---|---|",
    ]
    for key, label in (("smsa", "SmSA"), ("umsab_average", "UMSAB average"), ("emot", "EmoT")):
        if key in validation:
            lines.append(
                f"| {label} | **{_f(validation[key])}** | {AIMS[key]:.2f} | "
                f"{FROZEN_FIGURES[key]:.3f} |"
            )
    lines += [
        "",
        "## Epochs",
        "",
    ]
    with_average = bool(options.get("ema"))
    if with_average:
        lines += [
            f"Each epoch scored the trained weights and their moving average (decay "
            f"{options['ema']:g}); the figures are those of the one that scored higher.",
            "",
        ]
    extra, rule = (" weights | trained | average |", "---|---|---|") if with_average else ("", "")
    lines += [
        "| epoch | loss | SmSA | UMSAB average | EmoT | seconds |" + extra,
        "|---|---|---|---|---|---|" + rule,
    ]
    for epoch in meta["history"]:
        lines.append(
            f"| {epoch['epoch']} | {_f(epoch['loss'])} | {_f(epoch.get('smsa'))} | "
            f"{_f(epoch.get('umsab_average'))} | {_f(epoch.get('emot'))} | {epoch['seconds']} |"
            + (
                f" {epoch.get('weights', '')} | {_f(epoch.get('trained_score'))} | "
                f"{_f(epoch.get('average_score'))} |"
                if with_average
                else ""
            )
        )
    lines += [
        "",
        "## Limits",
        "",
        "- Trained on reviews and tweets, not diplomatic discourse; UMSAB has 324 validation "
        "tweets per language, so a difference of 0.02 is within noise.",
        "- UMSAB Hindi is romanised Hinglish; emotion data is Indonesian only.",
        "",
    ]
    return "\n".join(lines)


def _layers_trained(frozen: int) -> str:
    if not frozen:
        return "every layer"
    return f"every layer above the lowest {frozen} (those kept as they are, run once over the data)"
