"""Imports point one way: domain <- store/nlp/pipeline <- feature modules <- web/cli.

Feature modules never import the web framework or the CLI; routes and commands never build SQL.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ediplomacy

PACKAGE = Path(ediplomacy.__file__).parent
FOUNDATION = ("store", "nlp", "pipeline")
FEATURES = ("ingest", "listen", "integrity", "publish", "engage", "consular", "security", "demo")
SURFACES = ("web", "cli")
FRAMEWORKS = ("fastapi", "starlette", "jinja2", "typer", "uvicorn", "rich")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_of(room: str) -> list[Path]:
    return sorted((PACKAGE / room).rglob("*.py"))


def project_rooms(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("ediplomacy.") and "." in name}


def test_domain_imports_nothing_of_the_project() -> None:
    for path in modules_of("domain"):
        assert project_rooms(imports(path)) <= {"domain"}, path


@pytest.mark.parametrize("room", FOUNDATION)
def test_foundation_does_not_import_features_or_surfaces(room: str) -> None:
    for path in modules_of(room):
        found = project_rooms(imports(path)) & {*FEATURES, *SURFACES}
        assert not found, f"{path.relative_to(PACKAGE)} imports {found}"


@pytest.mark.parametrize("room", FEATURES)
def test_features_do_not_import_surfaces_or_frameworks(room: str) -> None:
    for path in modules_of(room):
        names = imports(path)
        assert not project_rooms(names) & set(SURFACES), path.relative_to(PACKAGE)
        framework = [name for name in names if name.split(".")[0] in FRAMEWORKS]
        assert not framework, f"{path.relative_to(PACKAGE)} imports {framework}"


@pytest.mark.parametrize("room", SURFACES)
def test_routes_and_commands_build_no_sql(room: str) -> None:
    for path in modules_of(room):
        for name in imports(path):
            if name.startswith("sqlalchemy"):
                assert name == "sqlalchemy.engine", f"{path.relative_to(PACKAGE)} imports {name}"
            assert name != "ediplomacy.store.schema", path.relative_to(PACKAGE)


def test_nothing_runs_at_import() -> None:
    """Importing every module starts no thread, opens no database, creates no app."""
    import importlib
    import threading

    before = threading.active_count()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if relative.name == "__main__" or "migrations" in relative.parts:
            continue
        importlib.import_module(".".join(relative.parts).removesuffix(".__init__"))
    assert threading.active_count() == before
