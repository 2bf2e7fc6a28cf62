"""What the app holds for every request: settings, database, templates, catalogs, signer."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.templating import Jinja2Templates
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.web.i18n import Catalogs


@dataclass(frozen=True, slots=True)
class WebState:
    settings: Settings
    engine: Engine
    templates: Jinja2Templates
    catalogs: Catalogs
    signer: URLSafeTimedSerializer  # signs the one-shot flash message cookie


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
