"""Dependencies run one way: no import cycle anywhere in honours/ (module-level and function-level imports
alike), and the import-linter contracts of `make lint` catch an upward import."""
import ast
import shutil
import subprocess  # nosec B404 # runs lint-imports from this virtualenv
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "honours"


def module_name(path: Path, root: Path = ROOT) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the honours modules it imports anywhere in its body (functions included)."""
    modules = {module_name(path, package.parent)[0]: path for path in package.rglob("*.py")}

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        _, is_package = module_name(path, package.parent)
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets.update(known(f"{base}.{alias.name}") or known(base) for alias in node.names)
        graph[name] = {target for target in targets if target and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_sees_function_level_and_relative_imports(tmp_path):
    package = tmp_path / "honours"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "text.py").write_text("def later():\n    from honours import later_stage\n")
    (package / "later_stage.py").write_text("from .core import text\n")
    (package / "alone.py").write_text("import honours.core.text\n")
    graph = import_graph(package)
    assert graph["honours.core.text"] == {"honours.later_stage"}
    assert cycles(graph) == [["honours.core.text", "honours.later_stage"]]


def run_lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed in this virtualenv")
    return subprocess.run(  # nosec B603 # fixed arguments
        [str(lint), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_contracts_hold_and_an_upward_import_breaks_them(tmp_path):
    assert run_lint_imports(ROOT).returncode == 0
    shutil.copytree(PACKAGE, tmp_path / "honours", ignore=shutil.ignore_patterns("__pycache__", "translations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    core_text = tmp_path / "honours" / "core" / "text.py"
    core_text.write_text(core_text.read_text(encoding="utf-8") + "\n\ndef _upward():\n"
                         "    from honours.publication import services  # noqa\n", encoding="utf-8")
    result = run_lint_imports(tmp_path)
    assert result.returncode != 0
    assert "honours.core.text -> honours.publication" in result.stdout
