"""Settings survive a restart: a small private JSON file, written atomically, and a damaged
one is ignored with a notice, never a crash."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from qa_tui.config import Paths
from qa_tui.services import Services
from qa_tui.services.settings import (
    FILENAME,
    MAX_BYTES,
    UiSettings,
    load_settings,
    save_settings,
)
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen

from tests.test_ui_support import pilot_test, start_ward_check


def test_no_file_gives_the_defaults_quietly(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "config")
    assert loaded.settings == UiSettings(auto_advance=True, dark=True)
    assert loaded.notice is None
    assert not (tmp_path / "config").exists()  # reading never creates anything


def test_saved_privately_and_read_back(tmp_path: Path) -> None:
    config = tmp_path / "config"
    path = save_settings(config, UiSettings(auto_advance=False, dark=False))
    assert path == config / FILENAME
    assert stat.S_IMODE(config.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"auto_advance": False, "dark": False, "log": False}
    assert load_settings(config).settings == UiSettings(auto_advance=False, dark=False)
    assert load_settings(config).notice is None
    save_settings(config, UiSettings(auto_advance=True, dark=False))
    assert load_settings(config).settings == UiSettings(auto_advance=True, dark=False)
    assert sorted(p.name for p in config.iterdir()) == [FILENAME]  # no temporary files left


def test_a_failed_write_keeps_the_old_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    save_settings(config, UiSettings(dark=False))

    def no_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError):
        save_settings(config, UiSettings(dark=True))
    monkeypatch.undo()
    assert load_settings(config).settings.dark is False
    assert sorted(p.name for p in config.iterdir()) == [FILENAME]


@pytest.mark.parametrize(("content", "why"), [
    (b"{ not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"[true, false]", "does not hold settings"),
    (b"", "not valid JSON"),
    (b" " * (MAX_BYTES + 1), "too big"),
    (b"[" * 60_000, "not valid JSON"),  # RecursionError in the parser (issue 11)
    (b'{"dark": ' * 3_000 + b"true" + b"}" * 3_000, "not valid JSON"),
], ids=["broken", "binary", "list", "empty", "too-big", "deep-list", "deep-object"])
def test_a_damaged_file_is_ignored_with_a_notice(tmp_path: Path, content: bytes,
                                                 why: str) -> None:
    (tmp_path / FILENAME).write_bytes(content)
    loaded = load_settings(tmp_path)
    assert loaded.settings == UiSettings()
    assert loaded.notice is not None and why in loaded.notice and "ignored" in loaded.notice


def test_wrong_values_fall_back_one_by_one(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_text(json.dumps(
        {"dark": False, "auto_advance": "yes", "unknown": 1}))
    loaded = load_settings(tmp_path)
    assert loaded.settings == UiSettings(auto_advance=True, dark=False)
    assert loaded.notice is not None and "auto_advance" in loaded.notice


@pilot_test
async def test_theme_and_auto_advance_survive_a_restart(paths: Paths, svc: Services) -> None:
    aid = start_ward_check(svc)
    app = build_app(services=svc)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_theme.dark and app.settings.auto_advance
        app.action_toggle_theme()
        app.action_toggle_auto_advance()
        await pilot.pause()
    assert json.loads((paths.config_dir / FILENAME).read_text()) == {
        "auto_advance": False, "dark": False, "log": False}

    again = build_app(services=svc)
    async with again.run_test(size=(80, 24)) as pilot:
        assert not again.current_theme.dark
        again.open_assessment(aid, "S3")
        await pilot.pause()
        await pilot.press("3")
        screen = again.screen
        assert isinstance(screen, AssessScreen) and screen.question_id == "S3"  # no advance


@pytest.mark.parametrize("content", ["{{{ definitely not json", "[" * 60_000])
@pilot_test
async def test_a_corrupt_settings_file_is_a_notice_not_a_crash(paths: Paths, svc: Services,
                                                               content: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    (paths.config_dir / FILENAME).write_text(content)
    app = build_app(services=svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("ignored: it is not valid JSON" in n for n in notes)
        assert app.current_theme.dark
        app.action_toggle_theme()  # the next change writes a good file over it
        await pilot.pause()
    assert load_settings(paths.config_dir).settings.dark is False
    assert load_settings(paths.config_dir).notice is None


@pilot_test
async def test_a_settings_folder_that_cannot_be_written_is_said(
        paths: Paths, svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_tui.ui.app as app_module

    def refuse(config_dir: Path, settings: UiSettings) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(app_module, "save_settings", refuse)
    app = build_app(services=svc)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_toggle_theme()
        await pilot.pause()
        assert not app.current_theme.dark  # the change still applies now
        notes = [n.message for n in app._notifications]
        assert any("could not be saved: Permission denied" in n for n in notes)
