"""`python -m ediplomacy` runs the command line."""

from ediplomacy.cli.main import run

if __name__ == "__main__":  # a spawned import helper re-imports this module: run nothing then
    run()
