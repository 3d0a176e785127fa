"""Package structure: explicit, tested __all__; only cli.py knows typer; only report/ renders."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import comparer

PACKAGE = Path(comparer.__file__).parent
MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages([str(PACKAGE)], prefix="comparer.") if not name.endswith("__main__")
)


def _imports(path: Path) -> set[str]:
    """Return the top-level names of every module imported by a source file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_an_all_that_resolves(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names missing objects: {missing}"


def test_only_the_cli_imports_typer_and_only_report_imports_rich_or_pandas():
    for path in PACKAGE.rglob("*.py"):
        imported = _imports(path)
        relative = path.relative_to(PACKAGE).as_posix()
        if relative != "cli.py":
            assert "typer" not in imported and "click" not in imported, relative
        if not relative.startswith("report/"):
            assert not imported & {"rich", "pandas", "pyarrow"}, relative


def test_help_does_not_load_heavy_modules():
    probe = (
        "import sys; from comparer.cli import app; "
        "heavy = {'pandas', 'numpy', 'pypdfium2', 'rjieba', 'sklearn', 'scipy', 'rapidfuzz', 'selectolax', 'rich.table'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _module_name(path: Path) -> str:
    """Return the dotted module name of a source file of the package."""
    parts = ("comparer",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _internal_imports(path: Path, known: set[str]) -> set[str]:
    """Return the comparer modules a source file imports anywhere (module level or inside functions)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else (node.module or "")
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return (found & known) - {module}


def test_no_import_cycles_even_through_lazy_imports():
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _internal_imports(path, set(files)) for name, path in files.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            assert state.get(dep) != 1, "import cycle: " + " -> ".join(trail + [name, dep])
            if dep not in state:
                visit(dep, trail + [name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_public_api_loads_and_compares_real_reports():
    from conftest import PDF_TEXT, WEB_TEXT

    assert {"load_report", "diff_reports", "follow_up", "align_documents", "run_corpus"} <= set(comparer.__all__)
    old, new = comparer.load_report(PDF_TEXT), comparer.load_report(WEB_TEXT)
    assert (old.meta.region, old.meta.year, new.meta.region, new.meta.year) == ("长宁区", 2024, "长宁区", 2024)
    assert comparer.diff_reports(old, new).exit_code == 0
    assert comparer.align_documents([old, new]).to_dict()["summary"]["pairs"] > 5
    assert comparer.follow_up(old, [new]).summary["commitments"] > 10


def test_reader_registry_is_the_one_list_of_formats():
    from comparer.corpus import discover as discover_module
    from comparer.ingest import READERS, SUFFIXES

    assert SUFFIXES == tuple(s for r in READERS for s in r.suffixes)
    assert discover_module.SUFFIXES is SUFFIXES
