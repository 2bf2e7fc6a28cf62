"""Entry point: registers each module's commands on one Typer app."""

from __future__ import annotations

import typer

from ediplomacy.cli import (
    bot_commands,
    claim_commands,
    collect_commands,
    coordination_commands,
    data_commands,
    demo_commands,
    eval_commands,
    factcheck_commands,
    model_commands,
    narrative_commands,
    polarization_commands,
    serve_commands,
    topic_commands,
    users,
    watch_commands,
)


def build() -> typer.Typer:
    app = typer.Typer(
        name="ediplomacy",
        help="The digital diplomacy desk: listen, verify, publish, engage, protect citizens.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    data_commands.register(app)
    demo_commands.register(app)
    serve_commands.register(app)
    eval_commands.register(app)
    collect_commands.register(app)
    coordination_commands.register(app)
    topic_commands.register(app)
    watch_commands.register(app)
    factcheck_commands.register(app)
    bot_commands.register(app)
    narrative_commands.register(app)
    polarization_commands.register(app)
    claim_commands.register(app)
    model_commands.register(app)
    app.add_typer(users.app, name="users", help="Staff accounts and their roles.")
    return app


def run() -> None:
    build()()
