"""`python -m ediplomacy` runs the command line."""

from ediplomacy.cli.main import run

run()
