"""`ediplomacy users`: staff accounts and roles, and a check of the audit chain."""

from __future__ import annotations

import getpass
import sys

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import database, exit_with, reports_errors
from ediplomacy.domain.people import Role
from ediplomacy.security import accounts, audit
from ediplomacy.security.access import parse_role

app = typer.Typer(no_args_is_help=True)
out = Console()


def _actor() -> str:
    """Who is recorded in the audit log for a command run from a shell."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command("add")
@reports_errors
def add(
    username: str = typer.Argument(..., help="Login name: letters, digits, '.', '_', '-'."),
    role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(Role)}."),
    name: str = typer.Option("", "--name", "-n", help="Full name shown in the UI."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
) -> None:
    """Add a staff account (asks for the password unless --password-stdin)."""
    chosen = parse_role(role)
    password = _read_password(password_stdin)
    user = accounts.add_user(
        database(), username, password, chosen, display_name=name, actor=_actor()
    )
    out.print(f"added {user.username} ({user.role.value})")


@app.command("list")
@reports_errors
def list_users() -> None:
    """List every account with its role and state."""
    table = Table("username", "name", "role", "state", "last sign-in (UTC)")
    for account in accounts.list_accounts(database()):
        user = account.user
        if user.disabled:
            state = "disabled"
        elif account.locked():
            state = f"locked until {account.locked_until:%Y-%m-%d %H:%M}"
        else:
            state = "active"
        last = f"{account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "never"
        table.add_row(user.username, user.display_name, user.role.value, state, last)
    out.print(table)


@app.command("set-role")
@reports_errors
def set_role(username: str, role: str) -> None:
    """Give an account another role."""
    user = accounts.set_role(database(), username, parse_role(role), actor=_actor())
    out.print(f"{user.username} is now {user.role.value}")


@app.command("disable")
@reports_errors
def disable(username: str) -> None:
    """Stop an account from signing in and end its sessions."""
    user = accounts.disable(database(), username, actor=_actor())
    out.print(f"{user.username} is disabled")


@app.command("enable")
@reports_errors
def enable(username: str) -> None:
    """Let a disabled or locked-out account sign in again."""
    user = accounts.enable(database(), username, actor=_actor())
    out.print(f"{user.username} is enabled")


@app.command("verify-audit")
@reports_errors
def verify_audit() -> None:
    """Check the audit log's hash chain; exits 1 if a row was changed or removed."""
    report = audit.verify_chain(database())
    if not report.ok:
        exit_with(
            f"audit chain broken at entry {report.broken_at}: {report.reason}; "
            f"{report.checked} entries before it are intact. Keep a copy of the database."
        )
    out.print(f"audit chain intact: {report.checked} entries; head hash {report.head_hash}")
