"""Checking rules on SQLite and PostgreSQL: alerts at the right hour, incremental, no repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.listen import watch
from ediplomacy.listen.rules import QuerySyntaxError
from ediplomacy.listen.watch import InvalidRule
from ediplomacy.security import audit
from ediplomacy.store.schema import alert_deliveries, alerts, audit_log
from tests.listen.watch_fixtures import HOUR, T0, PostWriter, backdate_rule, table_count

pytestmark = pytest.mark.postgres
QUIET = [4, 6, 5, 3, 7, 5] * 8  # 48 ordinary hours
MINUTE = timedelta(minutes=1)


def settings(**values: object) -> Settings:
    return Settings(alert_webhook_url="", alert_email_to="", **values)  # type: ignore[arg-type]


def check(engine: Engine, until_hours: int, **kwargs: object) -> watch.CheckSummary:
    until = T0 + until_hours * HOUR
    return watch.check(engine, settings(), until=until, notifiers={}, **kwargs)  # type: ignore[arg-type]


def test_a_burst_raises_one_alert_for_its_window(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 90, 120, 6, 5], text="Gempa di Qadira", language="id")
    writer.hourly([3] * 52, text="weather in Kota Bahari")  # not matched
    writer.hourly([0] * 48 + [30], text="Qadira quake", language="en", author_country="MY")
    rule = watch.add_rule(engine, "Quake", "qadira OR gempa", actor="sari")

    first = check(engine, 52)
    assert len(first.new_alerts) == 1
    [alert], total = watch.list_alerts(engine)
    assert total == 1 and alert.rule_name == "Quake" and alert.kind == "volume"
    assert alert.window_start == T0 + 48 * HOUR and alert.window_end == T0 + 50 * HOUR
    assert alert.observed == 90 + 120 + 30
    assert alert.expected == pytest.approx(2 * 5.0, abs=1.0)
    assert alert.score > 20 and alert.details["ratio"] > 10
    assert dict(map(tuple, alert.details["languages"])) == {"id": 210, "en": 30}
    assert dict(map(tuple, alert.details["countries"])) == {"MY": 30}
    samples = alert.details["samples"]
    assert 1 <= len(samples) <= 5 and all("qadira" in s["text"].lower() for s in samples)
    series = alert.details["series"]
    assert len(series["counts"]) == 48 + 2 and series["counts"][-2:] == [120, 120]
    assert watch.get_rule(engine, rule.id).checked_until == T0 + 52 * HOUR

    again = check(engine, 52, since=T0)  # the same hours once more
    assert again.new_alerts == [] and table_count(engine, alerts) == 1


def test_checks_are_incremental_and_a_lasting_burst_grows_one_alert(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 100, 110, 120, 5], text="qadira")
    watch.add_rule(engine, "Quake", "qadira")
    assert len(check(engine, 49).new_alerts) == 1  # up to the first burst hour
    middle = check(engine, 50)
    assert middle.new_alerts == [] and middle.rules[0].hours == 1 + 3  # 3 judged again
    assert len(middle.rules[0].grown_alerts) == 1
    check(engine, 52)
    [alert], _ = watch.list_alerts(engine)
    assert (alert.window_start, alert.window_end) == (T0 + 48 * HOUR, T0 + 51 * HOUR)
    assert alert.observed == 330 and len(alert.details["hours"]) == 3


def test_negative_posts_have_their_own_alerts(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 20], text="ministry statement", sentiment="positive")
    writer.hourly([1] * 48 + [40], text="ministry lies", sentiment="negative")
    watch.add_rule(engine, "Ministry", "ministry")
    check(engine, 49)
    kinds = {alert.kind: alert for alert in watch.list_alerts(engine)[0]}
    assert set(kinds) == {"volume", "negative"}
    assert kinds["negative"].observed == 40
    assert kinds["negative"].details["negative_share"] == pytest.approx(40 / 60, abs=0.01)
    assert all(s["text"] == "ministry lies" for s in kinds["negative"].details["samples"])


def test_young_database_and_quiet_rule_raise_nothing(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([0] * 10 + [200], text="qadira")  # only 10 hours of history
    watch.add_rule(engine, "Quake", "qadira")
    assert check(engine, 11).new_alerts == []
    assert table_count(engine, alerts) == 0


def test_country_and_handle_fields_in_a_check(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly(QUIET, text="ordinary")
    with engine.begin() as connection:
        start = T0 + 48 * HOUR
        news = {"text": "news", "countries_mentioned": ["QM"], "author_handle": "Sari_W"}
        writer.add(connection, [{**news, "created_at": start + n * MINUTE} for n in range(25)])
    watch.add_rule(engine, "About QM", "country:QM @sari_w")
    check(engine, 49)
    [alert], _ = watch.list_alerts(engine)
    assert alert.observed == 25 and dict(map(tuple, alert.details["countries_mentioned"])) == {
        "QM": 25
    }


def test_rule_changes_and_acknowledgements_are_audited(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80], text="qadira")
    rule = watch.add_rule(
        engine, "Quake", "qadira", emails=["duty@ministry.example"], actor="sari", ip="10.0.0.1",
        webhooks=["https://hooks.example/in?token=SECRET"],
    )  # fmt: skip
    assert watch.add_rule(engine, "Quake", "qadira", exist_ok=True).id == rule.id
    backdate_rule(engine, rule.id, T0)  # saved before the burst: its alert is sent
    with pytest.raises(InvalidRule, match="exists already"):
        watch.add_rule(engine, "Quake", "gempa", exist_ok=True)
    with pytest.raises(QuerySyntaxError, match="column 8"):
        watch.add_rule(engine, "Broken", "qadira (gempa")
    with pytest.raises(InvalidRule, match="not an e-mail"):
        watch.add_rule(engine, "Bad target", "x", emails=["duty at ministry"])
    watch.set_enabled(engine, rule.id, False, actor="sari")
    assert check(engine, 49).rules == []  # switched off: not checked
    watch.set_enabled(engine, rule.id, True, actor="sari")
    [new_alert] = check(engine, 49).new_alerts
    acked = watch.acknowledge(engine, new_alert, actor="rina")
    assert acked.status == "acknowledged" and acked.acknowledged_by == "rina"
    assert watch.acknowledge(engine, new_alert, actor="budi").acknowledged_by == "rina"
    assert table_count(engine, alert_deliveries) == 2
    watch.remove_rule(engine, name="Quake", actor="sari")
    assert table_count(engine, alerts) == 0 and table_count(engine, alert_deliveries) == 0
    entries, _ = audit.recent_entries(engine)
    actions = [(e.action, e.actor) for e in reversed(entries)]
    assert actions == [
        ("watch_rule.added", "sari"),
        ("watch_rule.disabled", "sari"),
        ("watch_rule.enabled", "sari"),
        ("alert.acknowledged", "rina"),
        ("watch_rule.removed", "sari"),
    ]
    with engine.connect() as connection:
        details = " ".join(connection.execute(sa.select(audit_log.c.detail)).scalars())
    assert "SECRET" not in details and "hooks.example" in details
    assert audit.verify_chain(engine).ok


def test_a_broken_rule_does_not_stop_the_others(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80], text="qadira")
    watch.add_rule(engine, "Good", "qadira")
    bad = watch.add_rule(engine, "Bad", "gempa")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE watch_rules SET query = 'gempa (' WHERE id = :id"),
                           {"id": bad.id})  # fmt: skip
    summary = check(engine, 49)
    errors = {rule.rule: rule.error for rule in summary.rules}
    assert errors["Good"] is None and "unbalanced parenthesis" in (errors["Bad"] or "")
    assert len(summary.new_alerts) == 1


def test_serve_loop_analyses_new_posts_before_it_checks(engine: Engine) -> None:
    """Posts collected without a language get one from the pipeline, then `lang:` rules see them."""
    from ediplomacy.pipeline.runner import InProcessRunner
    from ediplomacy.pipeline.stages.language import LanguageStage

    writer = PostWriter(engine)
    text = "Gempa besar mengguncang kota Qadira dan warga mengungsi ke lapangan"
    # The serve loop checks up to now: the posts are of the last two days.
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 51 * HOUR
    writer.hourly([*QUIET, 90, 100, 5], start, text=text, language=None)
    watch.add_rule(engine, "Quake in Indonesian", "lang:id qadira")

    # Without the pipeline these posts have no language, so `lang:id` could not match them.
    stages = [LanguageStage(["id", "en", "ms"])]
    loop = watch.PeriodicCheck(
        engine, settings(), 60, prepare=lambda: InProcessRunner(engine).run(stages)
    )
    loop.run_once()
    assert loop.last is not None
    [alert], _ = watch.list_alerts(engine)
    assert alert.window_start == start + 48 * HOUR
