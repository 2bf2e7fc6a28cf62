"""Alerts raised by the integrity detectors, in the same table and delivery queue as watch rules.

An integrity alert has no rule. It is keyed by (kind, key): `key` names what it is about (a
fact-check and an hour, a cluster's signature, a narrative and an hour), so a detector that runs
again over the same data never raises the same alert twice. The key, a title and a link to the
evidence go into `details`; the alerts page and the deliveries show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ediplomacy.listen.alerts import Targets
from ediplomacy.store import watch as store
from ediplomacy.store.timeutil import utcnow

CLAIM_SPIKE = "claim_spike"
COORDINATED_CLUSTER = "coordinated_cluster"
NARRATIVE_GROWTH = "narrative_growth"
KINDS = (CLAIM_SPIKE, COORDINATED_CLUSTER, NARRATIVE_GROWTH)


def raise_alert(
    connection: Connection,
    *,
    kind: str,
    key: str,
    title: str,
    link: str,
    window: tuple[datetime, datetime],
    observed: float,
    expected: float,
    score: float,
    details: Mapping[str, Any],
    targets: Targets,
) -> int | None:
    """The new alert's id, queued for every global target; None when (kind, key) was raised."""
    if kind not in KINDS:
        raise ValueError(f"unknown integrity alert kind {kind!r}; expected one of {KINDS}")
    if store.ruleless_alert_raised(connection, kind, key):
        return None
    alert_id = store.insert_alert(
        connection,
        {
            "rule_id": None,
            "kind": kind,
            "window_start": window[0],
            "window_end": window[1],
            "observed": observed,
            "expected": expected,
            "score": score,
            "details": {**details, "key": key, "title": title, "link": link},
            "status": "open",
            "created_at": utcnow(),
        },
    )
    if alert_id is not None:
        pairs = [("webhook", url) for url in targets.webhooks]
        pairs += [("email", address) for address in targets.emails]
        store.add_deliveries(connection, alert_id, pairs)
    return alert_id
