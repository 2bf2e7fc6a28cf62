"""Prepare a response: a counter-narrative draft from a narrative, in its main languages.

The draft quotes the relevant verified facts and official positions with their sources:

- the narrative's own fact-check first (its summary is the correction, its verdict the frame),
- then the base's verified facts and official positions closest to the narrative: by cosine of
  their vectors (`fact_check_vectors`) to the narrative's posts when the base has vectors, by
  shared words otherwise (`MAX_FACTS` at most, each above a floor, see docs/narratives.md).

One text per main language: the most frequent languages of the narrative's posts until they
cover `MAIN_SHARE` of them (`MAX_LANGUAGES` at most). The sentences around the facts come from
`response_frames`; a fact or claim that exists only in another language is quoted as it is, after
"[translate] (xx)", for the editor to translate. The draft is stored with status 'draft' for the
publishing workflow; creating and editing it are written to the audit log.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.engine import Connection, Engine

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.narrative_build import fact_check_ids
from ediplomacy.integrity.response_frames import TRANSLATE, frame
from ediplomacy.listen.emerging import terms_of
from ediplomacy.nlp.vectors import from_bytes, normalise, stack
from ediplomacy.pipeline.textnorm import HASHTAG_RE, MENTION_RE, SPACE_RE, text_for_models
from ediplomacy.security import audit
from ediplomacy.security.audit import Action
from ediplomacy.store import drafts as draft_store
from ediplomacy.store import factchecks as fact_store
from ediplomacy.store import narratives as store
from ediplomacy.store.drafts import DraftRow
from ediplomacy.store.factchecks import FactCheck
from ediplomacy.store.narratives import NarrativeRow
from ediplomacy.store.timeutil import utcnow

KIND = "counter_narrative"
CREATED = Action.DRAFT_CREATED
EDITED = Action.DRAFT_EDITED
MAIN_SHARE = 0.8
MAX_LANGUAGES = 5
MAX_FACTS = 4
EVIDENCE_KINDS = ("verified_fact", "official_position")
# A fact is relevant from this cosine to the narrative's posts (per space of the fact vectors),
# and another fact this close to it is the same fact in another language.
RELEVANT = {"accurate": 0.82, "fast": 0.45}
SAME_FACT = {"accurate": 0.93, "fast": 0.8}
MIN_WORD_SCORE = 0.12  # cosine of the two sets of words
MIN_SHARED_WORDS = 2
MAX_BODY = 20_000
MEMBER_SAMPLE = 2_000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


class InvalidDraft(EdiplomacyError, ValueError):
    """A draft's text cannot be saved as given; `key` names the message for the web."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class Evidence:
    """A fact quoted by a draft, and why it was chosen."""

    fact: FactCheck
    method: str  # linked | vectors | words
    score: float

    def as_source(self) -> dict[str, Any]:
        fact = self.fact
        return {
            "fact_check_id": fact.id,
            "kind": fact.kind,
            "verdict": fact.verdict,
            "claim": fact.claim_text,
            "title": fact.title,
            "publisher": fact.publisher,
            "language": fact_language(fact),
            "url": fact.url,
            "sources": list(fact.sources),
            "method": self.method,
            "score": round(self.score, 4),
        }


def fact_language(fact: FactCheck) -> str | None:
    """The language the fact's text is written in, when the base says."""
    if fact.language:
        return fact.language
    return fact.languages[0] if len(fact.languages) == 1 else None


def main_languages(
    counts: Mapping[str, int], share: float = MAIN_SHARE, most: int = MAX_LANGUAGES
) -> list[str]:
    """The most frequent languages until they cover `share` of the posts (English if none)."""
    known = sorted(
        ((lang, n) for lang, n in counts.items() if lang and lang != "und" and n > 0),
        key=lambda item: (-item[1], item[0]),
    )
    total = sum(n for _, n in known)
    chosen: list[str] = []
    covered = 0
    for lang, n in known:
        chosen.append(lang)
        covered += n
        if covered >= share * total or len(chosen) >= most:
            break
    return chosen or ["en"]


def _narrative_vector(
    connection: Connection, row: NarrativeRow, space: str
) -> np.ndarray | None:  # fmt: skip
    if row.centroid is not None and row.details.get("space") == space:
        return from_bytes(row.centroid)
    member_ids = sorted(store.members_of(connection, row.id))[:MEMBER_SAMPLE]
    blobs = [post.vector for post in store.posts_by_ids(connection, space, member_ids)
             if post.vector is not None]  # fmt: skip
    if not blobs:
        return None
    size = max(set(map(len, blobs)), key=[len(blob) for blob in blobs].count)
    matrix = stack([blob for blob in blobs if len(blob) == size], size // 2)
    return normalise(matrix.mean(axis=0, keepdims=True))[0]


def _words(texts: Sequence[str]) -> set[str]:
    return {term.lstrip("#") for text in texts for term in terms_of(text)}


def _word_score(fact: FactCheck, narrative_words: set[str]) -> tuple[float, int]:
    words = _words([fact.claim_text, fact.title or "", fact.summary or ""])
    shared = len(words & narrative_words)
    if not words or not narrative_words:
        return 0.0, 0
    return shared / math.sqrt(len(words) * len(narrative_words)), shared


def relevant_facts(
    connection: Connection, row: NarrativeRow, limit: int = MAX_FACTS
) -> tuple[list[Evidence], dict[int, np.ndarray], str | None, list[FactCheck]]:
    """(the evidence, the candidates' vectors, their space, every candidate) for a narrative."""
    linked = [fact_store.get(connection, fact_id) for fact_id in fact_check_ids(row)]
    linked_ids = {fact.id for fact in linked}
    candidates = [fact for fact in fact_store.iterate(connection)
                  if fact.kind in EVIDENCE_KINDS and fact.id not in linked_ids]  # fmt: skip
    space, blobs = store.fact_vectors(connection)
    vectors = {fact_id: from_bytes(blob) for fact_id, blob in blobs.items()}
    target = _narrative_vector(connection, row, space) if space else None
    chosen: list[Evidence] = []
    if target is not None:
        floor = RELEVANT.get(space or "", RELEVANT["accurate"])
        for fact in candidates:
            vector = vectors.get(fact.id)
            if vector is not None and vector.shape == target.shape:
                score = float(vector @ target)
                if score >= floor:
                    chosen.append(Evidence(fact, "vectors", score))
    texts = [row.label, *(variant.get("text", "") for variant in row.details.get("variants", []))]
    for fact in linked:
        texts += [fact.claim_text, fact.summary or ""]
    narrative_words = _words(texts)
    scored_ids = {evidence.fact.id for evidence in chosen}
    for fact in candidates:
        if fact.id in scored_ids or (target is not None and fact.id in vectors):
            continue
        score, shared = _word_score(fact, narrative_words)
        if score >= MIN_WORD_SCORE and shared >= MIN_SHARED_WORDS:
            chosen.append(Evidence(fact, "words", score))
    chosen.sort(key=lambda item: (item.method != "vectors", -item.score, item.fact.id))
    evidence = [Evidence(fact, "linked", 1.0) for fact in linked] + chosen[:limit]
    return evidence, vectors, space, candidates


def _in_language(
    fact: FactCheck, language: str, others: Sequence[FactCheck],
    vectors: Mapping[int, np.ndarray], space: str | None,
) -> FactCheck:  # fmt: skip
    """The same fact written in `language` when the base has it (by vectors), else the fact."""
    if fact_language(fact) == language or space is None or fact.id not in vectors:
        return fact
    floor = SAME_FACT.get(space, SAME_FACT["accurate"])
    best, best_score = fact, floor
    for other in others:
        vector = vectors.get(other.id)
        if other.id == fact.id or fact_language(other) != language or vector is None:
            continue
        score = float(vector @ vectors[fact.id])
        if score >= best_score:
            best, best_score = other, score
    return best


def _clean(text: str) -> str:
    """A post's words without links, mentions and hashtags, to quote a claim without its tags."""
    text = MENTION_RE.sub(" ", HASHTAG_RE.sub(" ", text_for_models(text)))
    return SPACE_RE.sub(" ", text).strip()


def _quote(text: str, text_language: str | None, language: str) -> str:
    if text_language == language:
        return text
    return f"{TRANSLATE} ({text_language or '?'}) {text}"


def _claim(row: NarrativeRow, linked: FactCheck | None, language: str) -> tuple[str, str | None]:
    if linked is not None and fact_language(linked) == language:
        return linked.claim_text, language
    variants = row.details.get("variants") or []
    here = [variant for variant in variants if variant.get("language") == language]
    if here:
        best = max(here, key=lambda variant: variant.get("count", 0))
        return _clean(str(best.get("text", ""))), language
    if linked is not None:
        return linked.claim_text, fact_language(linked)
    first = variants[0] if variants else {}
    return row.label, first.get("language")


def _fact_text(evidence: Evidence, fact: FactCheck) -> str | None:
    if evidence.method == "linked":
        return fact.summary or None  # its claim is the narrative's; the summary corrects it
    return fact.claim_text


def compose(
    row: NarrativeRow, evidence: Sequence[Evidence], language: str,
    others: Sequence[FactCheck] = (), vectors: Mapping[int, np.ndarray] | None = None,
    space: str | None = None,
) -> str:  # fmt: skip
    """The draft's text in one language."""
    words, fallback = frame(language)
    versions = [item.fact for item in evidence if item.method == "linked"]
    # The narrative's fact-checks are the same claim; the one in this language speaks for all.
    linked = next((f for f in versions if fact_language(f) == language), None) or next(
        iter(versions), None
    )
    lines = [f"{TRANSLATE} (en → {language})"] if fallback else []
    lines += [words["heading"], ""]
    claim, claim_language = _claim(row, linked, language)
    since = row.first_seen.date().isoformat() if row.first_seen else "?"
    lines += [words["claim"].format(date=since), f"> {_quote(claim, claim_language, language)}"]
    if linked is not None:
        lines.append(words.get(f"verdict.{linked.verdict}", words["verdict.other"]))
    pool = [*others, *(item.fact for item in evidence)]
    facts: list[str] = []
    positions: list[str] = []
    sources: list[str] = []
    for item in evidence:
        if item.method == "linked":
            fact = item.fact
        else:
            fact = _in_language(item.fact, language, pool, vectors or {}, space)
        for url in [fact.url, *fact.sources]:
            if url and url.startswith(("http://", "https://")) and url not in sources:
                sources.append(url)
        text = _fact_text(item, fact)
        if not text or (item.method == "linked" and fact is not linked):
            continue
        line = f"- {_quote(text, fact_language(fact), language)}"
        if fact.url:
            line += f" ({fact.url})"
        (positions if fact.kind == "official_position" else facts).append(line)
    if facts:
        lines += ["", words["facts"], *facts]
    if positions:
        lines += ["", words["positions"], *positions]
    if not facts and not positions:
        lines += ["", words["empty"]]
    lines += ["", words["action"]]
    if sources:
        lines += ["", words["sources"], *(f"- {url}" for url in sources)]
    return "\n".join(lines) + "\n"


def prepare_response(
    engine: Engine, narrative_id: int, *, actor: str | None = None, ip: str | None = None
) -> DraftRow:
    """Create a counter-narrative draft for the narrative (NotFound when there is none)."""
    now = utcnow()
    with engine.begin() as connection:
        row = store.get(connection, narrative_id)
        evidence, vectors, space, candidates = relevant_facts(connection, row)
        languages = main_languages(row.details.get("languages") or {})
        texts = [
            (language, compose(row, evidence, language, candidates, vectors, space))
            for language in languages
        ]
        draft_id = draft_store.insert(
            connection,
            kind=KIND,
            title=f"Counter-narrative: {row.label[:160]}",
            narrative_id=row.id,
            sources=[item.as_source() for item in evidence],
            texts=texts,
            created_by=actor,
            now=now,
        )
        detail = {"narrative": row.id, "languages": languages,
                  "facts": [item.fact.id for item in evidence]}  # fmt: skip
        audit.append(connection, CREATED, actor=actor, target=str(draft_id), ip=ip, detail=detail)
        return draft_store.get(connection, draft_id)


def save_text(
    engine: Engine,
    draft_id: int,
    language: str,
    body: str,
    *,
    actor: str | None = None,
    ip: str | None = None,
) -> DraftRow:
    """Replace one language's text of a draft, audited; InvalidDraft when it cannot be kept."""
    language = language.strip()
    body = body.replace("\r\n", "\n")
    if not LANGUAGE_CODE.match(language):
        raise InvalidDraft(
            f"{language!r} is not a language code; write one like 'id', 'en' or 'zh-Hant'.",
            "drafts.error.language",
        )
    if not body.strip():
        raise InvalidDraft("The text is empty; write the draft or keep the one there.",
                           "drafts.error.empty")  # fmt: skip
    if len(body) > MAX_BODY:
        raise InvalidDraft(f"The text is longer than {MAX_BODY} characters; shorten it.",
                           "drafts.error.long")  # fmt: skip
    with engine.begin() as connection:
        draft_store.get(connection, draft_id)  # NotFound first
        if draft_store.set_text(connection, draft_id, language, body, now=utcnow()):
            audit.append(connection, EDITED, actor=actor, target=str(draft_id), ip=ip,
                         detail={"language": language, "chars": len(body)})  # fmt: skip
        return draft_store.get(connection, draft_id)


def get_draft(engine: Engine, draft_id: int) -> DraftRow:
    with engine.connect() as connection:
        return draft_store.get(connection, draft_id)


def list_drafts(
    engine: Engine, *, narrative_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[DraftRow], int]:
    """Drafts (every kind), the most recently changed first."""
    with engine.connect() as connection:
        return draft_store.page(connection, narrative_id=narrative_id, limit=limit, offset=offset)
