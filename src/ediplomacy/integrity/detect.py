"""All integrity detectors in their order, as the demo and the server's periodic check run them.

Claims are matched first (narratives group the matched posts), then spikes of false claims,
narratives (and their growth alerts), coordinated clusters, bot-likeness and polarization.
Each detector is incremental and idempotent; one that fails is logged and reported, and the
others still run, so a broken piece never silences the rest of the desk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.store.timeutil import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class DetectorsReport:
    results: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _steps(
    engine: Engine,
    settings: Settings,
    progress: Progress | None,
    until: datetime | None,
    spike_hours: int,
    recent: datetime | None,
) -> list[tuple[str, Callable[[], Any]]]:
    from ediplomacy.integrity.bots import score_accounts
    from ediplomacy.integrity.claim_matcher import match_posts
    from ediplomacy.integrity.claim_review import check_claim_spikes
    from ediplomacy.integrity.coordination_detect import detect_clusters
    from ediplomacy.integrity.narrative_build import build_narratives
    from ediplomacy.integrity.polarization_snapshots import compute_polarization

    return [
        ("claims", lambda: match_posts(engine, settings, progress=progress)),
        (
            "claim_spikes",
            lambda: check_claim_spikes(engine, settings, until=until, hours=spike_hours),
        ),
        ("narratives", lambda: build_narratives(engine, settings, now=until)),
        ("coordination", lambda: detect_clusters(engine, settings, since=recent, until=until)),
        ("bots", lambda: score_accounts(engine, settings)),
        ("polarization", lambda: compute_polarization(engine, settings)),
    ]


def run_detectors(
    engine: Engine,
    settings: Settings,
    *,
    progress: Progress | None = None,
    until: datetime | None = None,
    spike_hours: int = 24,
    recent_days: int | None = None,
) -> DetectorsReport:
    """Run every detector; `until` (default: now) is the moment alerts are judged at,
    `spike_hours` how many hours before it the claim-spike check looks at, and `recent_days`
    (default: all) how many days of posts coordination detection reads (the server passes 7)."""
    recent = None
    if recent_days is not None:
        recent = (until or utcnow()) - timedelta(days=recent_days)
    report = DetectorsReport()
    for name, step in _steps(engine, settings, progress, until, spike_hours, recent):
        started = time.perf_counter()
        try:
            report.results[name] = step()
        except Exception as error:  # one failing detector must not stop the others
            log.exception("integrity detector %s failed", name)
            report.errors[name] = f"{type(error).__name__}: {error}"
        report.seconds[name] = round(time.perf_counter() - started, 2)
    return report
