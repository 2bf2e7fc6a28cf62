"""create_app(): the FastAPI application; nothing is built until it is called."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from ediplomacy import __version__
from ediplomacy.config import Settings
from ediplomacy.store.migrate import open_database
from ediplomacy.web import errors
from ediplomacy.web.i18n import Catalogs
from ediplomacy.web.routes import (
    accounts,
    admin,
    alerts,
    api,
    coordination,
    dashboard,
    facts,
    listen,
    matches,
    modules,
    narratives,
    network,
    search,
    signin,
    topics,
)
from ediplomacy.web.state import WebState

HERE = Path(__file__).parent

# Only this origin's scripts, styles and images; no inline script, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def pretty_json(value: Any) -> str:
    """Indented JSON for people to read (raw payloads, enrichment results)."""
    if isinstance(value, str):
        return value
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()


def is_http_url(value: object) -> bool:
    """Only http(s) links become clickable: a post may carry a javascript: or data: URL."""
    return isinstance(value, str) and urlsplit(value).scheme.lower() in ("http", "https")


def templates() -> Jinja2Templates:
    environment = Jinja2Templates(directory=HERE / "templates")
    environment.env.filters["pretty_json"] = pretty_json
    environment.env.tests["http_url"] = is_http_url
    return environment


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The web app on `engine` (default: the database of `settings`, migrated to the latest)."""
    settings = (settings or Settings()).check()
    engine = engine or open_database(settings.resolved_database_url())
    app = FastAPI(
        title="ediplomacy",
        version=__version__,
        summary="The digital diplomacy desk: JSON API under /api/v1.",
        openapi_url=None,  # served under /api/v1 by routes/api.py, behind sign-in
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = WebState(
        settings=settings,
        engine=engine,
        templates=templates(),
        catalogs=Catalogs(),
        signer=URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt="flash"),
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (signin, listen, modules, admin, api):
        app.include_router(module.router)
    for router in (dashboard.router, dashboard.api_router, search.router, search.api_router):
        app.include_router(router)
    app.include_router(alerts.router)
    app.include_router(alerts.api)
    app.include_router(topics.router)
    app.include_router(topics.api)
    app.include_router(facts.router)
    app.include_router(facts.api)
    app.include_router(accounts.router)
    app.include_router(accounts.api)
    app.include_router(narratives.router)
    app.include_router(narratives.api)
    app.include_router(coordination.router)
    app.include_router(coordination.api)
    app.include_router(matches.router)
    app.include_router(matches.api)
    app.include_router(network.router)
    app.include_router(network.api)
    errors.install(app)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app
