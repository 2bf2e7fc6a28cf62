"""The demo: generate the scenario, import it, analyze it, and serve the app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
