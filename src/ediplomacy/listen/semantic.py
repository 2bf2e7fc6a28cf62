"""Semantic search across languages: a query's vector against every post's stored vector.

The index is an in-memory matrix per embedding space, loaded from `post_vectors` in post-id
order and topped up with the rows added since (a re-embedded space is reloaded whole). Search
is brute-force cosine similarity with numpy. Up to 256 MB (about 130,000 posts of the
512-dimension fast space) the matrix is float32: about 3 ms per 10,000 posts on 2 cores; beyond,
it stays float16 as stored (half the memory) and is converted a block at a time, about 15 ms per
10,000 posts. Fine up to a few hundred thousand posts; beyond that an ANN index is needed.

Which space: `accurate` (multilingual-e5-small) when at least half of the posts have it,
else `fast` (Universal Sentence Encoder multilingual); the result says which was used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.nlp.embedders import Embedder
from ediplomacy.store import queries
from ediplomacy.store.queries import PostFilters, PostSummary
from ediplomacy.store.schema import post_vectors, posts
from ediplomacy.store.vectors import iter_vectors

SPACES = ("accurate", "fast")
FLOAT32_BYTES = 256 * 2**20  # up to this size the matrix is kept as float32 (faster)
BLOCK = 50_000  # beyond it, float16 rows are converted to float32 this many at a time
CANDIDATES = 500  # best-scoring posts checked against the filters per round
MAX_RESULTS = 100
# Two posts this close are the same message. Measured on the demo's evacuation-fee posts:
# copies with a word or an interjection changed score 0.989-0.992 with multilingual-e5-small and
# 0.925-0.986 with USE; translations into English and Spanish 0.92-0.94 and 0.68 respectively.
REPEAT_SIMILARITY = {"accurate": 0.97, "fast": 0.9}
MAX_SCANNED = 20_000  # candidates looked at for one page of results


class NoVectors(ConfigurationError):
    """No post has a vector yet: the embedding stages have not run."""


@dataclass(slots=True)
class Hit:
    post: PostSummary
    similarity: float  # cosine similarity, -1..1
    repeats: int = 0  # near-identical posts folded into this one (copies, reposts, templates)


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    space: str  # fast | accurate
    model: str
    indexed: int  # posts with a vector in that space
    posts: int  # posts in the database
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SpaceState:
    """What the database holds for a space: if it changes other than by growing, reload."""

    count: int
    max_id: int
    models: tuple[tuple[str, str, int], ...]


class SpaceIndex:
    """The vectors of one space in memory: post ids and an (n, dim) float16 matrix."""

    def __init__(self, space: str) -> None:
        self.space = space
        self.ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.matrix: npt.NDArray[np.floating] = np.zeros((0, 0), dtype=np.float32)
        self.model = ""
        self.state = SpaceState(0, 0, ())

    def __len__(self) -> int:
        return len(self.ids)

    def _load(self, engine: Engine, after_id: int) -> None:
        ids: list[npt.NDArray[np.int64]] = [self.ids] if after_id else []
        blocks: list[npt.NDArray[np.floating]] = [self.matrix] if after_id else []
        with engine.connect() as conn:
            for chunk in iter_vectors(conn, self.space, after_id=after_id):
                dims = {len(blob) // 2 for _, _, blob in chunk}
                if len(dims) != 1:
                    raise ConfigurationError(
                        f"the {self.space} vectors have different sizes {sorted(dims)}: "
                        "re-run the embedding stage so that one model made them all"
                    )
                dim = dims.pop()
                ids.append(np.fromiter((row[0] for row in chunk), dtype=np.int64))
                joined = b"".join(blob for _, _, blob in chunk)
                blocks.append(np.frombuffer(joined, dtype=np.float16).reshape(len(chunk), dim))
                self.model = chunk[-1][1]
        if blocks and any(len(block) for block in blocks):
            self.ids = np.concatenate(ids)
            matrix = np.concatenate([b for b in blocks if b.size])
            small = matrix.shape[0] * matrix.shape[1] * 4 <= FLOAT32_BYTES
            self.matrix = matrix.astype(np.float32 if small else np.float16, copy=False)
        elif not after_id:
            self.ids = np.zeros(0, dtype=np.int64)
            self.matrix = np.zeros((0, 0), dtype=np.float32)

    def refresh(self, engine: Engine, state: SpaceState) -> None:
        """Load what is new; reload everything when vectors were replaced or removed."""
        if state == self.state:
            return
        grew = (
            self.state.count > 0
            and state.max_id > self.state.max_id
            and state.count > self.state.count
            and {m[:2] for m in state.models} == {m[:2] for m in self.state.models}
        )
        self._load(engine, self.state.max_id if grew else 0)
        if len(self.ids) != state.count:  # a replacement among old ids: start over
            self._load(engine, 0)
        self.state = state

    def scores(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine similarity of every indexed post to a unit query vector."""
        if self.matrix.dtype == np.float32:
            return np.asarray(self.matrix @ query, dtype=np.float32)
        out = np.empty(len(self.ids), dtype=np.float32)
        for start in range(0, len(self.ids), BLOCK):
            block = self.matrix[start : start + BLOCK].astype(np.float32)
            out[start : start + BLOCK] = block @ query
        return out


def space_states(engine: Engine) -> tuple[int, dict[str, SpaceState]]:
    """Posts in the database and, per space, its vectors' count, newest id and models."""
    with engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one())
        rows = conn.execute(
            sa.select(
                post_vectors.c.space,
                post_vectors.c.model,
                post_vectors.c.model_version,
                sa.func.count(),
                sa.func.max(post_vectors.c.post_id),
            ).group_by(post_vectors.c.space, post_vectors.c.model, post_vectors.c.model_version)
        ).all()
    states: dict[str, SpaceState] = {}
    for space in {row[0] for row in rows}:
        mine = [row for row in rows if row[0] == space]
        states[space] = SpaceState(
            count=sum(int(row[3]) for row in mine),
            max_id=max(int(row[4]) for row in mine),
            models=tuple(sorted((row[1], row[2], int(row[3])) for row in mine)),
        )
    return total, states


def choose_space(total: int, states: dict[str, SpaceState]) -> str | None:
    """`accurate` when it covers at least half of the posts, else `fast`, else what exists."""
    accurate = states.get("accurate")
    if accurate and accurate.count * 2 >= total:
        return "accurate"
    if "fast" in states:
        return "fast"
    return "accurate" if accurate else None


class SemanticSearch:
    """The search service of one app: indexes per space, kept fresh on every search."""

    def __init__(self, engine: Engine, embedder_for: Callable[[str], Embedder]) -> None:
        self.engine = engine
        self.embedder_for = embedder_for  # space -> the embedder that made its vectors (lazy)
        self.indexes = {space: SpaceIndex(space) for space in SPACES}
        self._lock = threading.Lock()

    def index(self) -> tuple[SpaceIndex | None, int]:
        """The index of the space to search, refreshed, and the number of posts."""
        total, states = space_states(self.engine)
        space = choose_space(total, states)
        if space is None:
            return None, total
        index = self.indexes[space]
        with self._lock:
            index.refresh(self.engine, states[space])
        return index, total

    def status(self) -> SearchResult:
        """The space a search would use and how many posts it holds, without searching."""
        index, total = self.index()
        if index is None:
            return SearchResult("", "", "", 0, total)
        return SearchResult("", index.space, index.model, len(index), total)

    def search(
        self, text: str, filters: PostFilters | None = None, *, limit: int = 20
    ) -> SearchResult:
        """The posts whose meaning is nearest to `text`, in any language, that pass `filters`."""
        if not text.strip():
            return self.status()
        index, total = self.index()
        if index is None or not len(index):
            raise NoVectors(
                "No post has an embedding yet: run `ediplomacy analyze` so that the embedding "
                "stages compute them, then search again."
            )
        embedder = self.embedder_for(index.space)
        if embedder.name != index.model:
            raise ConfigurationError(
                f"the {index.space} vectors were made by {index.model} but the configured "
                f"embedder is {embedder.name}: re-run the embedding stage or change the setting"
            )
        query = embedder.embed_queries([text])[0].astype(np.float32)
        scores = index.scores(query)
        hits = self._best(index, scores, filters or PostFilters(), min(limit, MAX_RESULTS))
        return SearchResult(text, index.space, index.model, len(index), total, hits)

    def _best(
        self,
        index: SpaceIndex,
        scores: npt.NDArray[np.float32],
        filters: PostFilters,
        limit: int,
    ) -> list[Hit]:
        """The best-scoring posts that pass the filters, checked in rounds of candidates.

        A post nearly identical to a better hit (a repost, a copy-paste campaign, a template
        with one word changed) is folded into it, so that the page shows different things,
        often in other languages, instead of one text a hundred times.
        """
        order = np.argsort(-scores, kind="stable")
        hits: list[Hit] = []
        kept = np.zeros((0, index.matrix.shape[1] if index.matrix.ndim == 2 else 0), np.float32)
        for start in range(0, min(len(order), MAX_SCANNED), CANDIDATES):
            chosen = order[start : start + CANDIDATES]
            ids = [int(i) for i in index.ids[chosen]]
            found = queries.posts_by_id(self.engine, ids, filters)
            for position, post_id in zip(chosen, ids, strict=True):
                if post_id not in found:
                    continue
                vector = index.matrix[position].astype(np.float32)
                if len(hits):
                    nearest = kept @ vector
                    twin = int(np.argmax(nearest))
                    if nearest[twin] >= REPEAT_SIMILARITY.get(index.space, 0.97):
                        hits[twin].repeats += 1
                        continue
                if len(hits) == limit:
                    return hits
                hits.append(Hit(found[post_id], round(float(scores[position]), 4)))
                kept = np.vstack([kept, vector[None, :]])
        return hits
