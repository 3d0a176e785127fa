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
