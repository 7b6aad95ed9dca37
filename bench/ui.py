"""The assessor's app under Textual's Pilot and in a real terminal (tmux), beside bare Textual
apps doing the least the same screen must do: a key that updates one widget, and a table of N
rows shown at start-up.

Each figure is measured in a fresh child process (``python -m bench.ui --child KIND ...``), so
imports and caches of one measurement never flatter the next.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import tmux
from bench.data import database_with
from bench.harness import ROOT, Figure, child_json, percentile, qa_tui

SIZE = (80, 24)


def _bare_app() -> Any:
    """The floor: a Textual app whose key updates one Static (and has a header and footer)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS = [("3", "set('3')", "Three"), ("4", "set('4')", "Four")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("value: -", id="value")
            yield Footer()

        def action_set(self, value: str) -> None:
            self.query_one("#value", Static).update(f"value: {value}")

    return Bare()


async def _bare_key(presses: int) -> list[float]:
    app = _bare_app()
    samples = []
    async with app.run_test(size=SIZE) as pilot:
        for i in range(presses):
            start = time.perf_counter()
            await pilot.press("3" if i % 2 else "4")
            await pilot.pause()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


async def _our_key(home: str, presses: int) -> list[float]:
    from qa_tui.config import resolve_paths
    from qa_tui.services import build_services
    from qa_tui.services.settings import UiSettings
    from qa_tui.ui.app import build_app

    svc = build_services(resolve_paths(), actor="bench")
    aid = svc.assessments.start("cqc-saf-well-led", org_name="Bench Trust").id
    app = build_app(services=svc, settings=UiSettings(auto_advance=False))
    samples = []
    async with app.run_test(size=SIZE) as pilot:
        app.open_assessment(aid, "WL1")
        await pilot.pause()
        for i in range(presses):
            start = time.perf_counter()
            await pilot.press("3" if i % 2 else "4")
            await pilot.pause()
            samples.append((time.perf_counter() - start) * 1000)
    svc.close()
    return samples


async def _bare_table(rows: int) -> float:
    start = time.perf_counter()  # imports count, as they do for the app
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Organisation", "Visit date", "Status", "Done", "Updated")
            table.add_rows([(f"Organisation {i}\ntemplate", "2026-01-01", "draft", "50%",
                             "2026-01-01\n09:00") for i in range(rows)])

    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.query_one(DataTable).row_count == rows)
        return (time.perf_counter() - start) * 1000


async def _our_home(rows: int) -> dict[str, float]:
    start = time.perf_counter()
    from qa_tui.config import resolve_paths
    from qa_tui.ui.app import build_app
    from qa_tui.ui.widgets.assessment_table import AssessmentTable

    app = build_app(resolve_paths())

    def loaded() -> bool:
        tables = app.screen.query(AssessmentTable)
        return bool(tables) and tables.first().row_count == rows

    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, loaded)
        started = (time.perf_counter() - start) * 1000
        first = app.screen.query(AssessmentTable).first().selected_id
        app.open_assessment(first)  # waits for the services if they are still opening
        await _until(pilot, lambda: type(app.screen).__name__ == "AssessScreen")
        back = time.perf_counter()
        await pilot.press("escape")
        await _until(pilot, loaded)
        return {"start": started, "back": (time.perf_counter() - back) * 1000}


async def _until(pilot: Any, condition: Any) -> None:
    for _ in range(20_000):
        if condition():
            return
        await pilot.pause(0.005)
    raise RuntimeError("the screen never got there")


def _keys(presses: int) -> list[str]:
    return ["3" if i % 2 else "4" for i in range(presses)]


def _tmux_bare(presses: int) -> list[float]:
    with tmux.Pane([sys.executable, "-m", "bench.ui", "--child", "bare-app"],
                   cwd=str(ROOT)) as pane:
        pane.wait(lambda text: "value: -" in text and "Four" in text, "the bare app")
        return tmux.key_samples(pane, _keys(presses), lambda text, key: f"value: {key}" in text)


def _tmux_ours(work: Path, presses: int) -> list[float]:
    """qa-tui itself (``python -m qa_tui``) on Assess, auto-advance off: each digit answers
    the same question, and the screen has changed when that option shows chosen (●)."""
    home = work / "home-tmux"
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text('{"auto_advance": false}\n')
    env = {"QA_TUI_HOME": str(home)}
    subprocess.run(qa_tui("new", "--template", "cqc-saf-well-led", "--org", "Bench Trust"),
                   env={**os.environ, **env}, check=True, capture_output=True)
    with tmux.Pane(qa_tui(), cwd=str(ROOT), env=env) as pane:
        pane.wait(lambda text: "Bench Trust" in text and "? Help" in text, "Home")
        pane.send("Enter")
        pane.wait(lambda text: "WL1 · 1 of" in text and "? Help" in text, "Assess")
        return tmux.key_samples(pane, _keys(presses), lambda text, key: f" {key}  ● " in text)


def _tmux_figures(quick: bool, work: Path) -> list[Figure]:
    """Slow (two app start-ups in a terminal): left out of --quick; skipped without tmux."""
    if quick:
        return []
    if not tmux.available():
        print("  tmux not installed: the tmux key figure is skipped", file=sys.stderr, flush=True)
        return []
    bare = _tmux_bare(40)
    ours = _tmux_ours(work, 40)
    floor = "bare Textual app updating a Static, in tmux"
    return [Figure("digit key -> screen updated, Assess (tmux), median",
                   statistics.median(ours), statistics.median(bare), floor),
            Figure("digit key -> screen updated, Assess (tmux), p95",
                   percentile(ours, 95), percentile(bare, 95), floor)]


def child(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "bare-app":  # run in a terminal (tmux): no JSON, the pane is what is measured
        _bare_app().run()
        return
    if kind == "bare-key":
        out: Any = asyncio.run(_bare_key(int(argv[1])))
    elif kind == "our-key":
        out = asyncio.run(_our_key(argv[1], int(argv[2])))
    elif kind == "bare-table":
        out = asyncio.run(_bare_table(int(argv[1])))
    else:
        out = asyncio.run(_our_home(int(argv[1])))
    print(json.dumps({"result": out}))


def run(quick: bool, sizes: list[int], work: Path) -> list[Figure]:
    presses = 6 if quick else 40
    key_home = work / "home-keys"
    env = {"QA_TUI_HOME": str(key_home)}
    bare = child_json("ui", "bare-key", str(presses))["result"]
    ours = child_json("ui", "our-key", str(key_home), str(presses), env=env)["result"]
    figures = [Figure("digit key -> screen updated, Assess (Pilot), median",
                      statistics.median(ours), statistics.median(bare),
                      "bare Textual app updating a Static")]
    figures += _tmux_figures(quick, work)
    for size in sizes:
        env = {"QA_TUI_HOME": str(database_with(work, size))}
        floor = child_json("ui", "bare-table", str(size))["result"]
        got = child_json("ui", "our-home", str(size), env=env)["result"]
        figures.append(Figure(f"start to usable Home, {size} assessments (Pilot)",
                              got["start"], floor, f"bare DataTable, {size} rows"))
        figures.append(Figure(f"back to Home from Assess, {size} assessments", got["back"],
                              None, ""))
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
