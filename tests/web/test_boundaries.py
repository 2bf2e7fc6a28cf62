"""The web shell stays thin: routes call services and queries, never build SQL themselves;
the security module never imports the web framework."""

from __future__ import annotations

import ast
from pathlib import Path

import ediplomacy

PACKAGE = Path(ediplomacy.__file__).parent
WEB_FRAMEWORKS = ("fastapi", "starlette", "jinja2")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_web_builds_no_sql() -> None:
    for path in (PACKAGE / "web").rglob("*.py"):
        for name in imports(path):
            if name.startswith("sqlalchemy"):
                assert name == "sqlalchemy.engine", f"{path.name} imports {name}"
        assert "ediplomacy.store.schema" not in imports(path), path.name


def test_security_and_queries_do_not_import_the_web_framework() -> None:
    for path in [*(PACKAGE / "security").glob("*.py"), PACKAGE / "store" / "queries.py"]:
        for name in imports(path):
            assert not name.startswith(WEB_FRAMEWORKS), f"{path.name} imports {name}"
