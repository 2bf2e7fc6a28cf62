"""English and Bahasa Indonesia: complete catalogs, and a switch that sticks."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity.alerting import KINDS as INTEGRITY_ALERT_KINDS
from ediplomacy.integrity.claimreview import KINDS as FACT_KINDS
from ediplomacy.integrity.claimreview import VERDICTS as FACT_VERDICTS
from ediplomacy.listen.alerts import KINDS as ALERT_KINDS
from ediplomacy.listen.dashboard import SENTIMENTS, STANCES
from ediplomacy.listen.rules import QUERY_ERROR_CODES
from ediplomacy.listen.semantic import SPACES
from ediplomacy.listen.watch import ALERT_STATUSES, RULE_ERROR_CODES
from ediplomacy.security import accounts
from ediplomacy.security.access import Area
from ediplomacy.security.audit import Action
from ediplomacy.store.aggregates import Bucket, Dimension
from ediplomacy.store.claim_matches import STATUSES as MATCH_STATUSES
from ediplomacy.store.queries import Sort
from ediplomacy.web.i18n import LOCALES, LOCALES_DIR, load_catalog
from ediplomacy.web.routes.admin import AUDIT_FILTERS
from ediplomacy.web.routes.alerts import STATUS_FILTERS as ALERT_FILTERS
from ediplomacy.web.routes.drilldown import FIELDS as DRILL_FIELDS
from ediplomacy.web.routes.listen import PRESENCES
from ediplomacy.web.routes.matches import STATUS_FILTERS as MATCH_FILTERS
from tests.web.conftest import csrf_token, login

WEB = Path(LOCALES_DIR).parent
SECURITY = WEB.parent / "security"
TEMPLATE_KEY = re.compile(r"""\bt(?:\.get)?\(\s*["']([a-z0-9_.]+)["']""")
PYTHON_KEYS = (
    re.compile(r"""explain\(\s*["']([a-z_.]+)["']"""),
    re.compile(r"""["']((?:users\.error|errors)\.[a-z_]+)["']"""),
    re.compile(r"""["'](?:success|info|error)["'],\s*["']([a-z_.]+)["']"""),
    re.compile(r"""\bt\(\s*["']([a-z_.]+)["']"""),
)


def used_keys() -> set[str]:
    keys: set[str] = set()
    for template in (WEB / "templates").glob("*.html"):
        keys |= set(TEMPLATE_KEY.findall(template.read_text()))
    for source in [*WEB.rglob("*.py"), *SECURITY.glob("*.py")]:
        for pattern in PYTHON_KEYS:
            keys |= set(pattern.findall(source.read_text()))
    keys = {key for key in keys if "." in key and not key.endswith(".")}  # prefixes are below
    # Keys built from a value: every value they can take.
    keys |= {f"nav.{area.value}" for area in Area}
    keys |= {f"role.{role.value}" for role in Role}
    keys |= {f"platform.{platform}" for platform in PLATFORMS}
    keys |= {f"status.{status}" for status in ("running", "done", "failed")}
    keys |= {f"sort.{sort.value}" for sort in Sort}
    keys |= {f"explorer.{kind}.{p}" for kind in ("replies", "reposts") for p in PRESENCES}
    keys |= {f"empty.{area}" for area in ("verify", "publish", "engage", "consular")}
    keys |= {f"relation.{kind}" for kind in ("reply_to", "repost_of", "quote_of")}
    keys |= {f"language.{code}" for code in ("und", "other")}
    keys |= {f"metric.{name}" for name in ("quote_count", "view_count")}
    keys |= {f"audit.filter.{f.rstrip('.') or 'all'}" for f in AUDIT_FILTERS}
    keys |= {f"dashboard.bucket.{bucket.value}" for bucket in Bucket}
    keys |= {f"dashboard.by.{dimension.value}" for dimension in Dimension}
    keys |= {f"dashboard.sentiment.{value}" for value in (*SENTIMENTS, "und")}
    keys |= {f"dashboard.stance.{value}" for value in STANCES}
    keys |= {f"search.space.{space}" for space in SPACES}
    keys |= {f"drill.{name}" for name in DRILL_FIELDS}
    keys |= {f"alerts.kind.{kind}" for kind in (*ALERT_KINDS, *INTEGRITY_ALERT_KINDS)}
    keys |= {f"alerts.status.{status}" for status in ALERT_STATUSES}
    keys |= {f"alerts.{part}.{f}" for part in ("filter", "empty") for f in ALERT_FILTERS}
    keys |= {f"alerts.channel.{channel}" for channel in ("webhook", "email")}
    keys |= {f"alerts.delivery.{status}" for status in ("pending", "sent", "failed")}
    keys |= {f"rules.error.{code}" for code in (*QUERY_ERROR_CODES, *RULE_ERROR_CODES)}
    keys |= {f"facts.verdict.{verdict}" for verdict in FACT_VERDICTS}
    keys |= {f"facts.kind.{kind}" for kind in FACT_KINDS}
    keys |= {f"matches.{part}.{s}" for part in ("status", "flash") for s in MATCH_STATUSES}
    keys |= {f"matches.filter.{f}" for f in MATCH_FILTERS}
    actions = [value for name, value in vars(Action).items() if name.isupper()]
    keys |= {f"audit.action.{action}" for action in actions}
    return keys


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_locale() -> None:
    keys = used_keys()
    assert len(keys) > 150
    for locale in LOCALES:
        missing = sorted(keys - set(load_catalog(locale)))
        assert not missing, f"{locale}.json lacks {missing}"


def test_locales_have_the_same_keys_and_placeholders() -> None:
    english, indonesian = load_catalog("en"), load_catalog("id")
    assert set(english) == set(indonesian)
    for key, text in english.items():
        assert text.strip() and indonesian[key].strip(), key
        assert placeholders(text) == placeholders(indonesian[key]), key


def test_no_unused_keys() -> None:
    unused = sorted(set(load_catalog("en")) - used_keys())
    assert not unused, f"remove or use: {unused}"


def test_language_switch_before_sign_in(client: TestClient) -> None:
    page = client.get("/login")
    assert '<html lang="en">' in page.text and "Sign in" in page.text
    response = client.post(
        "/language", data={"locale": "id", "next": "/login", "csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = client.get("/login")
    assert '<html lang="id">' in page.text
    assert "Nama pengguna" in page.text and "Kata sandi" in page.text


def test_choice_is_kept_on_the_user(
    client: TestClient, make_user: Callable[..., StaffUser], engine: Engine
) -> None:
    make_user("sari", Role.ANALYST)
    page = client.get("/login")
    client.post("/language", data={"locale": "id", "csrf_token": csrf_token(page.text)})
    login(client, "sari")
    assert accounts.get_user(engine, "sari").locale == "id"  # the choice before sign-in
    overview = client.get("/")
    assert "Ikhtisar" in overview.text and "Keluar" in overview.text
    client.post("/language", data={"locale": "en", "csrf_token": csrf_token(overview.text)})
    assert accounts.get_user(engine, "sari").locale == "en"
    # Another browser without the cookie gets the user's language.
    client.cookies.clear()
    login(client, "sari")
    client.cookies.delete("ediplomacy_locale")
    assert "Overview" in client.get("/").text


def test_unknown_locale_falls_back_to_english(
    client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.VIEWER)
    client.post("/language", data={"locale": "xx", "csrf_token": token})
    assert '<html lang="en">' in client.get("/").text
