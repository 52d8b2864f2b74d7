"""The house rules of src/eng28 that a newcomer relies on, checked on the code itself."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "eng28"
MODULES = sorted(PACKAGE.rglob("*.py"))
STDLIB_ONLY = ("views", "shells", "paths", "clock", "files", "text", "errors")


def name_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


GRAPH = {name_of(p): imports(p) for p in MODULES}


def eng28_imports(name: str) -> set[str]:
    return {m for m in GRAPH[name] if m in GRAPH and m != name and not name.startswith(m + ".")}


@pytest.mark.parametrize("path", MODULES, ids=name_of)
def test_every_module_is_a_few_hundred_lines(path):
    assert len(path.read_text().splitlines()) <= 600


def users_of(library: str) -> set[str]:
    return {
        name
        for name, found in GRAPH.items()
        if any(m == library or m.startswith(library + ".") for m in found)
    }


def test_only_cli_imports_typer_and_only_render_imports_rich():
    assert {n.split(".")[1] for n in users_of("typer")} == {"cli"}
    assert {n.split(".")[1] for n in users_of("rich")} == {"render"}


def test_no_import_cycles():
    def visit(name, trail):
        for other in sorted(eng28_imports(name)):
            assert other not in trail, " -> ".join([*trail, other])
            visit(other, [*trail, other])

    for name in GRAPH:
        visit(name, [name])


@pytest.mark.parametrize("name", STDLIB_ONLY)
def test_the_fast_path_modules_use_the_standard_library_only(name):
    import sys

    module = f"eng28.{name}"
    third_party = {
        m.split(".")[0]
        for m in GRAPH[module]
        if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] != "eng28"
    }
    assert third_party == set()
    for other in eng28_imports(module):
        assert other.removeprefix("eng28.") in STDLIB_ONLY, other


@pytest.mark.parametrize("name", ["pace", "review", "models", "values"])
def test_pure_modules_touch_no_disk_clock_or_console(name):
    found = GRAPH[f"eng28.{name}"]
    forbidden = {"os", "pathlib", "eng28.files", "eng28.clock", "eng28.store", "rich", "typer"}
    assert not {m for m in found if m.split(".")[0] in forbidden or m in forbidden}


def test_the_clock_is_read_in_one_place():
    readers = {
        name
        for name, path in zip(GRAPH, MODULES, strict=True)
        if "datetime.now(" in path.read_text() or "time.time()" in path.read_text()
    }
    assert readers == {"eng28.clock"}
