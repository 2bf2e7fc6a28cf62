"""`ediplomacy serve`: run the web app with uvicorn."""

from __future__ import annotations

import typer

from ediplomacy.cli.context import reports_errors, settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 for every one."),
    port: int = typer.Option(8000, help="TCP port."),
    proxy_headers: bool = typer.Option(
        False, help="Trust X-Forwarded-For/-Proto from a reverse proxy in front of the app."
    ),
) -> None:
    """Serve the web UI and the JSON API (database migrated to the latest schema first)."""
    import uvicorn

    from ediplomacy.web.app import create_app

    config = settings()
    typer.echo(f"ediplomacy on http://{host}:{port} ({config.mode} mode)", err=True)
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        forwarded_allow_ips="*" if proxy_headers else None,
    )
