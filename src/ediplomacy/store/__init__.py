"""Database engine, schema, migrations and repositories. Repositories never commit."""
