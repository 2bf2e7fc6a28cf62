"""The accurate encoder (`e5-onnx`) built once per test session, for tests that embed with it.

Settings default to `e5-onnx` under their own data directory, built there on first use (about
a minute on 2 cores). Tests that only need the model, not the build, name this one build instead
(`accurate_embedder=e5_onnx_spec()`); tests/nlp/test_e5_encoder.py tests the build itself.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from ediplomacy.nlp.e5_build import build_encoder

_BUILT: list[Path] = []


def e5_onnx_spec() -> str:
    """`e5-onnx:<folder>` of this session's build of the int8 encoder."""
    if not _BUILT:
        root = Path(tempfile.mkdtemp(prefix="ediplomacy-test-e5-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        directory = root / "multilingual-e5-small"
        build_encoder(directory)
        _BUILT.append(directory)
    return f"e5-onnx:{_BUILT[0]}"
