"""The layering ARCHITECTURE.md describes, checked: module size, no import circles, wire side apart.

Reads the source with ``ast`` (nothing is imported), so an import inside a
function counts as much as one at the top of a module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["articles", "newsportal"]
MAX_MODULE_LINES = 500
# The wire side: what turns the wire's bytes into stories, and polls for them.
WIRE_SIDE = ["articles.importers", "articles.ingest"]
# What readers and editors see: pages, feeds, the admin, search queries. The
# wire side (WIRE_SIDE) must not depend on any of it, directly or
# through another module.
READER_SIDE = [
    "articles.views",
    "articles.selectors",
    "articles.admin",
    "articles.admin_workflow",
    "articles.admin_guard",
    "articles.edit_locks",
    "articles.workflow_wording",
    "articles.import_admin",
    "articles.ingest_admin",
    "articles.group_admin",
    "articles.feeds",
    "articles.sitemaps",
    "articles.forms",
    "articles.workflow_actions",
    "articles.templatetags",
    "articles.search.query",
    "articles.search.retrieval",
    "articles.search.ranking",
    "articles.search.stats",
    "articles.search.lexicon",
    "articles.search.suggest",
    "articles.search.highlight",
    "newsportal.urls",
    "newsportal.context_processors",
    "newsportal.formats",
    "newsportal.error_views",
]


def app_modules() -> dict[str, Path]:
    """Every module of the apps, tests and migrations left out, by dotted name."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules that ``name`` imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from articles import search" imports the module articles.search.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # The longest known module the target names (a.b.c for a.b.c.func).
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = app_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for target in graph.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def is_within(module: str, prefixes: list[str]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def test_no_app_module_is_over_500_lines():
    long = {
        name: count
        for name, path in app_modules().items()
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these by concern: {long}"


def test_no_import_circle(graph):
    circles = sorted(name for name in graph if name in reachable(graph, name))
    assert circles == [], f"modules that import themselves through others: {circles}"


def test_the_importers_never_reach_the_reader_side(graph):
    reached = {
        importer: sorted(
            target for target in reachable(graph, importer) if is_within(target, READER_SIDE)
        )
        for importer in graph
        if is_within(importer, WIRE_SIDE)
    }
    assert {name: targets for name, targets in reached.items() if targets} == {}


def test_the_checks_see_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from articles import views\n")
    assert imported_modules("articles.late", module, {"articles.views"}) == {"articles.views"}
