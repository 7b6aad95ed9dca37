"""The test tiers stay honest: every test module lives in a tier folder, the unit tier needs no
database, CLI or subprocess, and every test file the README names exists where it says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
TIERS = ("unit", "services", "cli", "tui", "system", "windows")
# fixtures that open a database, run the CLI or start a server: not for the unit tier
HEAVY_FIXTURES = {"home", "paths", "services", "svc", "cli", "cli_process", "pg_cluster", "pg_url",
                  "pg_store_url", "snap_compare"}
HEAVY_IMPORTS = {"subprocess", "tests.conftest", "tests.test_ui_support", "textual.pilot"}


def test_no_test_module_is_left_outside_a_tier() -> None:
    """Shared support (conftest, ``*_support.py``, PostgreSQL helpers, corpora) stays at the root
    where every tier imports it; tests themselves go in a tier folder."""
    stray = sorted(p.name for p in TESTS.glob("test_*.py") if not p.stem.endswith("_support"))
    assert not stray, f"move these into a tier folder ({', '.join(TIERS)}): {stray}"
    support_with_tests = sorted(
        p.name for p in TESTS.glob("*_support.py")
        if re.search(r"^(async )?def test_", p.read_text(encoding="utf-8"), flags=re.M))
    assert not support_with_tests, f"support modules holding tests: {support_with_tests}"
    for tier in TIERS:
        assert (TESTS / tier / "__init__.py").is_file(), f"tests/{tier} is not a package"
        assert list((TESTS / tier).glob("test_*.py")), f"tests/{tier} has no tests"


def test_the_unit_tier_needs_no_database_cli_or_subprocess() -> None:
    for path in sorted((TESTS / "unit").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                    and node.name.startswith("test_"):
                args = {a.arg for a in node.args.args} & HEAVY_FIXTURES
                assert not args, f"{path.name}::{node.name} asks for {sorted(args)}"
            if isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {node.module or ""}
            else:
                continue
            heavy = names & HEAVY_IMPORTS
            assert not heavy, f"{path.name} imports {sorted(heavy)}: not a unit test"


def test_every_test_file_the_readme_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"tests/[\w/]+\.py", readme))
    assert named, "the README names its tests"
    missing = sorted(n for n in named if not (ROOT / n).is_file())
    assert not missing, f"README names test files that are not there: {missing}"


def test_every_test_started_first_still_exists() -> None:
    """conftest.LONGEST only reorders; a renamed test would silently drop out of it."""
    conftest = (TESTS / "conftest.py").read_text(encoding="utf-8")
    block = conftest.split("LONGEST = (", 1)[1].split("\n)", 1)[0]
    named = re.findall(r'"(tests/[\w/]+\.py)::(\w+)"', block)
    assert named, "conftest.LONGEST names the longest tests"
    for path, name in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^(async )?def {name}\(", source, flags=re.M), f"{path}::{name} is gone"
