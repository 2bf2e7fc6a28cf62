"""The `ediplomacy` command: thin commands that call services and print their results."""
