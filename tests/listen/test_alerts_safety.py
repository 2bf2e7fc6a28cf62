"""Review fixes: secrets in webhook paths, bad targets, late posts, old bursts of a new rule."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.listen import watch
from ediplomacy.listen.delivery import WebhookNotifier, deliver_due, safe_target
from ediplomacy.listen.watch import InvalidRule
from ediplomacy.store import watch as store
from ediplomacy.store.schema import alert_deliveries, alerts, audit_log
from tests.listen.watch_fixtures import HOUR, T0, PostWriter, backdate_rule, table_count

pytestmark = pytest.mark.postgres
QUIET = [4, 6, 5, 3, 7, 5] * 8  # 48 ordinary hours
SLACK = "https://hooks.slack.com/services/T0001/B0001/XXXXSECRET"


def settings(**values: object) -> Settings:
    return Settings(alert_webhook_url="", alert_email_to="", **values)  # type: ignore[arg-type]


def check(engine: Engine, until: datetime, **kwargs: object) -> watch.CheckSummary:
    return watch.check(engine, settings(), until=until, notifiers={}, **kwargs)  # type: ignore[arg-type]


def test_safe_target_hides_the_path_and_never_raises() -> None:
    shown = safe_target(SLACK)
    assert shown.startswith("https://hooks.slack.com/")
    assert "XXXXSECRET" not in shown and "T0001" not in shown and "B0001" not in shown
    other = safe_target("https://hooks.slack.com/services/T0001/B0001/OTHERSECRET")
    assert other != shown  # two hooks on one host stay apart
    assert "S3" not in safe_target("https://u:S3@h.example:8443/in?token=S3")
    assert safe_target("duty@ministry.example") == "duty@ministry.example"
    for broken in ("http://[::1", "http://host:99999/XXXXSECRET", "http://[zz]/a"):
        assert "XXXXSECRET" not in safe_target(broken)


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://host:99999/", "http://[::1/x", "http://h:0x/"]
)
def test_add_rule_refuses_a_webhook_url_that_cannot_be_sent_to(engine: Engine, url: str) -> None:
    with pytest.raises(InvalidRule, match="not an http"):
        watch.add_rule(engine, "Bad hook", "qadira", webhooks=[url])
    assert watch.list_rules(engine) == []


def test_one_bad_target_does_not_block_the_others(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80], text="qadira")
    watch.add_rule(engine, "Quake", "qadira")
    [alert_id] = check(engine, T0 + 49 * HOUR).new_alerts
    sent: list[str] = []

    class Recorder:
        channel = "email"

        def send(self, target: str, alert: object, payload: object) -> None:
            sent.append(target)

    with engine.begin() as connection:  # rows saved before addresses were checked this well
        store.add_deliveries(connection, alert_id, [
            ("webhook", "http://[::1"), ("webhook", "http://host:99999/XXXXSECRET"),
            ("email", "duty@ministry.example"),
        ])  # fmt: skip
    notifiers = {"webhook": WebhookNotifier(tries=1, timeout_s=2), "email": Recorder()}
    report = deliver_due(engine, notifiers)  # type: ignore[arg-type]
    assert report.sent == 1 and report.failed == 2 and sent == ["duty@ministry.example"]
    assert "XXXXSECRET" not in " ".join(report.errors)
    rows = watch.deliveries(engine, [alert_id])[alert_id]
    assert {(d.channel, d.status, d.attempts) for d in rows} == {
        ("webhook", "failed", 1),
        ("email", "sent", 1),
    }
    assert all("XXXXSECRET" not in (d.last_error or "") + d.target for d in rows)


def test_global_targets_are_checked_before_anything_is_judged(engine: Engine) -> None:
    bad = Settings(alert_webhook_url="http://[::1", alert_email_to="")
    with pytest.raises(ConfigurationError, match="EDIPLOMACY_ALERT_WEBHOOK_URL"):
        watch.check(engine, bad, notifiers={})
    with pytest.raises(ConfigurationError, match="EDIPLOMACY_ALERT_WEBHOOK_URL"):
        watch.PeriodicCheck(engine, bad, 60)
    mail = Settings(alert_webhook_url="", alert_email_to="duty at x")
    with pytest.raises(ConfigurationError, match="EDIPLOMACY_ALERT_EMAIL_TO"):
        watch.check(engine, mail, notifiers={})


def test_webhook_secrets_stay_out_of_api_audit_and_logs(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80], text="qadira")
    rule = watch.add_rule(engine, "Quake", "qadira", webhooks=[SLACK])
    assert "XXXXSECRET" not in str(watch.shown(rule).notify)
    with engine.connect() as connection:
        details = " ".join(connection.execute(sa.select(audit_log.c.detail)).scalars())
    assert "XXXXSECRET" not in details and "hooks.slack.com" in details
    backdate_rule(engine, rule.id, T0)
    [alert_id] = check(engine, T0 + 49 * HOUR).new_alerts

    def refuse(request: object) -> object:
        import httpx

        return httpx.Response(404)

    import httpx

    notifier = WebhookNotifier(tries=1, transport=httpx.MockTransport(refuse))  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        report = deliver_due(engine, {"webhook": notifier})
    assert report.failed == 1
    [delivery] = watch.deliveries(engine, [alert_id])[alert_id]
    assert "HTTP 404 from https://hooks.slack.com/" in (delivery.last_error or "")
    everything = " ".join([delivery.target, delivery.last_error or "", *report.errors,
                           caplog.text])  # fmt: skip
    assert "XXXXSECRET" not in everything and "T0001" not in everything


def test_posts_that_arrive_late_are_judged_on_the_next_check(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 5], text="qadira")
    watch.add_rule(engine, "Quake", "qadira")
    assert check(engine, T0 + 49 * HOUR).new_alerts == []  # hour 48 looked ordinary
    writer.hourly([90], T0 + 48 * HOUR, text="qadira")  # a live collector catches up
    writer.hourly([5], T0 + 49 * HOUR, text="qadira")
    [alert_id] = check(engine, T0 + 50 * HOUR).new_alerts
    alert = watch.get_alert(engine, alert_id)
    assert (alert.window_start, alert.window_end) == (T0 + 48 * HOUR, T0 + 49 * HOUR)
    assert alert.observed == 95
    assert check(engine, T0 + 51 * HOUR).new_alerts == [] and table_count(engine, alerts) == 1


def test_negative_posts_analysed_late_still_raise_their_alert(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 20], text="ministry statement", sentiment="neutral")
    writer.hourly([1] * 48 + [40], text="ministry lies", sentiment=None)  # not analysed yet
    watch.add_rule(engine, "Ministry", "ministry", settings={"min_ratio": 10})
    check(engine, T0 + 49 * HOUR)
    assert [a.kind for a in watch.list_alerts(engine)[0]] == ["volume"]
    with engine.begin() as connection:  # the sentiment stage runs
        connection.execute(sa.text("UPDATE posts SET sentiment = 'negative' "
                                   "WHERE text = 'ministry lies'"))  # fmt: skip
    check(engine, T0 + 50 * HOUR)
    assert sorted(a.kind for a in watch.list_alerts(engine)[0]) == ["negative", "volume"]


def test_a_new_rule_shows_old_bursts_but_does_not_send_them(engine: Engine) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80, 5, 5, 5, *QUIET[:20], 90], text="qadira")
    rule = watch.add_rule(engine, "Quake", "qadira", emails=["duty@ministry.example"])
    backdate_rule(engine, rule.id, T0 + 60 * HOUR)  # saved between the two bursts
    first = check(engine, T0 + 73 * HOUR)
    assert len(first.new_alerts) == 2  # both shown in the UI
    with engine.connect() as connection:
        queued = connection.execute(sa.select(alert_deliveries.c.alert_id)).scalars().all()
    old, new = sorted(first.new_alerts, key=lambda i: watch.get_alert(engine, i).window_start)
    assert queued == [new]
    assert watch.get_alert(engine, old).details["not_sent"] == "before_rule"
    assert "not_sent" not in watch.get_alert(engine, new).details


def test_a_burst_going_on_when_the_rule_is_saved_is_sent_once_it_outlasts_that_moment(
    engine: Engine,
) -> None:
    writer = PostWriter(engine)
    writer.hourly([*QUIET, 80, 90, 85], text="qadira")
    rule = watch.add_rule(engine, "Quake", "qadira", emails=["duty@ministry.example"])
    backdate_rule(engine, rule.id, T0 + 49 * HOUR + 30 * 60 * (HOUR / 3600))  # 49:30
    [alert_id] = check(engine, T0 + 49 * HOUR).new_alerts
    assert table_count(engine, alert_deliveries) == 0  # hour 48 ended before 49:30
    check(engine, T0 + 51 * HOUR)
    alert = watch.get_alert(engine, alert_id)
    assert alert.window_end == T0 + 51 * HOUR and "not_sent" not in alert.details
    assert table_count(engine, alert_deliveries) == 1
