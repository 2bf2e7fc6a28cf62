"""What every command needs: settings, the database, and one-line error reporting."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.store.migrate import open_database

P = ParamSpec("P")
R = TypeVar("R")

console = Console(stderr=True)


def settings() -> Settings:
    return Settings().check()


def database(config: Settings | None = None) -> Engine:
    return open_database((config or settings()).resolved_database_url())


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print an EdiplomacyError as one line on stderr and exit 1, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except EdiplomacyError as error:
            console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            sys.exit(1)
        except OSError as error:  # a file or folder named on the command line
            where = f" {error.filename}" if error.filename else ""
            console.print(
                f"[bold red]error:[/]{where}: {error.strerror or error}; check the path",
                highlight=False,
                soft_wrap=True,
            )
            sys.exit(1)
        except OverflowError:
            console.print("[bold red]error:[/] a date or number is out of range", highlight=False)
            sys.exit(1)

    return wrapper


def exit_with(message: str, code: int = 1) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def option_moment(value: str | None, option: str) -> datetime | None:
    """A --since/--until value: YYYY-MM-DD or an ISO date and time; UTC unless it says."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EdiplomacyError(
            f"{option} {value!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM[Z]"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
