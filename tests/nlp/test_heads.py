"""Classifier heads: the file format, the run-time maths, and the bundled heads on clear cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import Embedder, shared_embedder
from ediplomacy.nlp.heads import lexical_terms, load_head


def write_head(path: Path, **extra: np.ndarray) -> Path:
    np.savez(
        path,
        weights=np.array([[1.0, -1.0], [0.0, 2.0]], dtype=np.float32),
        bias=np.array([0.5, 0.0], dtype=np.float32),
        labels=np.array(["no", "yes"]),
        name=np.array("toy"),
        version=np.array("7"),
        embedder=np.array("use-multilingual"),
        **extra,
    )
    return path


def test_a_users_head_file_is_loaded_by_path(tmp_path: Path) -> None:
    head = load_head(write_head(tmp_path / "toy.npz"))
    assert (head.name, head.version, head.embedder, head.labels) == (
        "toy", "7", "use-multilingual", ("no", "yes"),
    )  # fmt: skip
    proba = head.predict_proba(np.array([[1.0, 1.0], [0.0, 0.0]]))
    logits = np.array([[1.5, 1.0], [0.5, 0.0]])
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, expected, rtol=1e-5)
    assert head.predict(np.array([[0.0, 1.0]])) == ["yes"]
    other = load_head(write_head(tmp_path / "other.npz", extra=np.array(1)))
    assert len(head.fingerprint) == 10 and other.fingerprint != head.fingerprint


def test_routes_apply_to_their_language_only(tmp_path: Path) -> None:
    path = write_head(
        tmp_path / "routed.npz",
        routes=np.array(["id"]),
        route_id_weights=np.array([[-5.0, 5.0], [0.0, 0.0]], dtype=np.float32),
        route_id_bias=np.zeros(2, dtype=np.float32),
        route_aliases=np.array(["ms:id", "xx:nowhere"]),
    )
    head = load_head(path)
    x = np.array([[1.0, 0.0]] * 4)
    assert head.predict(x, ["id", "en", "ms", "xx"]) == ["yes", "no", "yes", "no"]
    assert head.predict(x) == ["no"] * 4


def test_lexicon_matches_sklearn_tfidf(tmp_path: Path) -> None:
    texts = ["pelayanan sangat buruk buruk sekali", "sangat baik", "tidak ada kata"]
    vectorizer = TfidfVectorizer(analyzer=lexical_terms, sublinear_tf=True)
    matrix = vectorizer.fit_transform(["pelayanan sangat buruk", "sangat baik sekali", *texts])
    lexical = np.random.default_rng(0).normal(size=(matrix.shape[1], 2)).astype(np.float32)
    path = write_head(
        tmp_path / "lexical.npz",
        routes=np.array(["id"]),
        route_id_weights=np.zeros((2, 2), dtype=np.float32),
        route_id_bias=np.zeros(2, dtype=np.float32),
        route_id_terms=vectorizer.get_feature_names_out().astype(str),
        route_id_idf=vectorizer.idf_.astype(np.float32),
        route_id_lexical=lexical,
    )
    head = load_head(path)
    proba = head.predict_proba(np.zeros((3, 2)), ["id"] * 3, texts)
    logits = vectorizer.transform(texts) @ lexical
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, expected, rtol=1e-5)


def test_broken_head_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no classifier head"):
        load_head(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_head(tmp_path / "junk.npz")
    np.savez(tmp_path / "partial.npz", weights=np.zeros((2, 2)))
    with pytest.raises(ConfigurationError, match="lacks bias"):
        load_head(tmp_path / "partial.npz")
    with pytest.raises(ConfigurationError, match="expects 2-dimensional"):
        load_head(write_head(tmp_path / "toy.npz")).predict_proba(np.zeros((1, 3)))


def test_bundled_heads_say_what_they_need() -> None:
    for name in ("sentiment", "emotion"):
        head = load_head(name)
        assert head is load_head(name)  # loaded once
        assert head.name == name
        assert head.embedder == "use-multilingual"
        assert head.embedder_name == "use-multilingual-v3"
        assert head.dim == 512
    assert load_head("sentiment").labels == ("negative", "neutral", "positive")
    assert set(load_head("emotion").labels) == {"anger", "fear", "happy", "love", "sadness"}


@pytest.fixture(scope="module")
def fast() -> Embedder:
    return shared_embedder("use-multilingual")


SENTIMENT_CASES = [
    ("Pelayanan KBRI sangat buruk dan lambat", "id", "negative"),
    ("Terima kasih KBRI, pelayanannya cepat dan ramah sekali", "id", "positive"),
    ("The embassy staff were rude and useless, a terrible experience", "en", "negative"),
    ("Thank you so much for the wonderful help, the embassy team was amazing!", "en", "positive"),
    ("El servicio de la embajada fue horrible y muy lento", "es", "negative"),
    ("¡Muchas gracias por la ayuda, excelente atención!", "es", "positive"),
    ("خدمة سيئة جدا ومعاملة سيئة", "ar", "negative"),
    ("شكرا جزيلا على المساعدة الرائعة", "ar", "positive"),
]


def test_sentiment_head_on_clear_cases(fast: Embedder) -> None:
    head = load_head("sentiment")
    texts = [text for text, _, _ in SENTIMENT_CASES]
    proba = head.predict_proba(fast.embed(texts), [lang for _, lang, _ in SENTIMENT_CASES], texts)
    for (text, _, expected), row in zip(SENTIMENT_CASES, proba, strict=True):
        scores = dict(zip(head.labels, row, strict=True))
        assert max(scores, key=scores.__getitem__) == expected, (text, scores)
        assert scores[expected] > 0.5, (text, scores)


def test_emotion_head_on_clear_cases(fast: Embedder) -> None:
    head = load_head("emotion")
    cases = [
        ("Aku marah banget sama kelakuan pejabat itu, kesal dan muak!", "anger"),
        ("Sedih sekali mendengar kabar duka ini, aku menangis", "sadness"),
        ("Aku takut sekali, gempa susulan terus terjadi", "fear"),
    ]
    texts = [text for text, _ in cases]
    predicted = head.predict(fast.embed(texts), ["id"] * len(texts), texts)
    assert predicted == [label for _, label in cases]
