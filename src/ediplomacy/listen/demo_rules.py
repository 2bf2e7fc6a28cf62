"""The watch rules `ediplomacy demo` installs, and their first check over the demo week."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.listen import watch
from ediplomacy.listen.watch import CheckSummary
from ediplomacy.store import watch as store

# The city and the country in the scenario's scripts; the false claim's figure as each
# language writes it (ediplomacy.demo.phrases_*: "amount").
DEMO_RULES = (
    (
        "Qadira earthquake",
        'Qadira OR "Sagara Jaya" OR قديرة OR 卡迪拉 OR 萨加拉贾亚 OR "ساغارا جايا"',
    ),
    (
        "Evacuation fee claim",
        '"2,000" OR "2.000" OR "2000" OR "2 000" OR 两千 OR ألفي OR "31 juta" OR "RM9,000"',
    ),
)


def install_and_check(engine: Engine, settings: Settings) -> CheckSummary:
    """Add the demo rules (again: no change) and check them up to the newest post's hour."""
    for name, query in DEMO_RULES:
        watch.add_rule(engine, name, query, actor="demo", exist_ok=True)
    with engine.connect() as connection:
        _, newest = store.data_span(connection)
    until = store.floor_hour(newest) + timedelta(hours=1) if newest else None
    names = [name for name, _ in DEMO_RULES]
    return watch.check(engine, settings, until=until, names=names)
