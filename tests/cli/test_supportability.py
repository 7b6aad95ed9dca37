"""Supportable: ``doctor`` on a healthy and a broken installation, ``--debug`` tracebacks, the
opt-in support log holding no user text, the export-folder sync warning, the Python check."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from qa_tui.cli.main import main

from tests.conftest import ROOT

PLANTED = ["Zebrafinch Hospital", "QQ9", "Ward Kestrel", "Ada Quillfeather",
           "frogspawn in sluice", "mothball evidence", "buy periwinkle soap", "Marmalade Ollerenshaw",
           "ghostwritten xyzzy"]


def _doctor(cli) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    done = cli("doctor", "--json")
    return done.code, json.loads(done.out)


def test_doctor_on_a_healthy_installation(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    code, fresh = _doctor(cli)
    assert code == 0 and fresh["ok"] and fresh["problems"] == []
    assert fresh["database"]["exists"] is False, "doctor never creates the database"
    assert not (home / "data" / "qa-tui.sqlite3").exists()
    assert cli("demo", "--assessments", "1").code == 0
    code, report = _doctor(cli)
    assert code == 0 and report["ok"]
    assert report["versions"]["textual"] == version("textual")
    assert report["versions"]["sqlite"] and report["versions"]["python"]
    assert report["paths"]["database"] == str(home / "data" / "qa-tui.sqlite3")
    assert report["paths"]["log_dir"] == str(home / "logs")
    db = report["database"]
    assert db["integrity"] == "ok" and db["problem"] is None
    assert db["pragmas"]["journal_mode"] == "wal" and db["pragmas"]["synchronous"] == 2
    assert db["pragmas"]["fullfsync"] == 1
    assert report["templates"]["count"] >= 1 and report["templates"]["problems"] == []
    assert report["disk"]["export_folder"]["free_bytes"] > 0
    assert report["export_sync"] is None and report["log"]["enabled"] is False
    text = cli("doctor")
    assert text.code == 0 and text.out.strip().endswith("healthy")
    assert "textual" in text.out and "database pragmas" in text.out


def test_doctor_on_a_broken_installation(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    db = home / "data" / "qa-tui.sqlite3"
    db.parent.mkdir(parents=True)
    junk = b"not a database at all\n" * 20
    db.write_bytes(junk)
    templates = home / "config" / "templates"
    templates.mkdir(parents=True)
    (templates / "mine.toml").write_text('id = "mine"\nversion = 1\n', encoding="utf-8")
    code, report = _doctor(cli)
    assert code == 1 and not report["ok"]
    assert any("not a qa-tui database" in p and str(db) in p for p in report["problems"])
    assert any("mine.toml" in p for p in report["problems"])
    assert db.read_bytes() == junk, "doctor changes nothing"
    text = cli("doctor")
    assert text.code == 1 and "PROBLEM: database" in text.out and "NOT healthy" in text.out


def test_doctor_and_export_warn_about_a_synced_export_folder(cli, home: Path,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    synced = {"OneDrive": str(home)}
    assert cli("demo", "--assessments", "2").code == 0
    code, report = json.loads(cli("doctor", "--json", env=synced).out)["ok"], \
        json.loads(cli("doctor", "--json", env=synced).out)
    assert code is True and report["export_sync"] == "OneDrive"
    assert any("synced to OneDrive" in w and "-o" in w for w in report["warnings"])
    exported = cli("export", "--all", env=synced)
    assert exported.code == 0
    warnings = [line for line in exported.err.splitlines() if "synced to OneDrive" in line]
    assert len(warnings) == 1, "warned once, not once a file"
    assert "use -o to export to a local folder" in warnings[0]
    local = cli("export", "--all", "-o", str(tmp_path / "local"), env=synced)
    assert local.code == 0 and "synced" not in local.err


def _boom(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    from qa_tui.cli import context

    def broken(self: object) -> None:
        raise RuntimeError(text)

    monkeypatch.setattr(context.CliContext, "services", property(broken))
    monkeypatch.setattr(context.CliContext, "reader", property(broken))  # list/show read there


@pytest.mark.parametrize("how", ["flag", "env", "off"])
def test_debug_shows_the_full_traceback(how: str, home: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _boom(monkeypatch, "something broke")
    args = ["--debug", "list"] if how == "flag" else ["list"]
    if how == "env":
        monkeypatch.setenv("QA_TUI_DEBUG", "1")
    with pytest.raises(SystemExit) as ended:
        main(args)
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err
    if how == "off":
        assert "Traceback" not in err and "--debug" in err
    else:
        assert "Traceback (most recent call last)" in err and "def broken" not in err
        assert 'raise RuntimeError(text)' in err


def _plant(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    org, code, site, person, note, note2, action, owner, answer = PLANTED
    made = cli("new", "--template", "qa-visit", "--org", org, "--org-code", code, "--site", site,
               "--assessor", person, "--date", "2026-03-02")
    assert made.code == 0, made.err
    aid = made.out.strip()
    assert cli("answer", aid, "V1.1", "yes", "--note", note).code == 0
    assert cli("note", aid, "V1.2", note2).code == 0
    assert cli("answer", aid, "V2.9", answer).code == 0
    assert cli("action", "add", aid, action, "--owner", owner).code == 0
    # refusals that quote what was typed
    assert cli("answer", aid, "V1.3", answer).code == 1
    assert cli("new", "--template", org, "--org", org).code == 1
    assert cli("answer", code, "V1.1", "yes").code == 1
    assert cli("export", aid, "-o", str(tmp_path / org)).code == 0
    assert cli("show", aid).code == 0
    assert cli("verify", str(tmp_path / org)).code == 0


def test_the_support_log_records_events_and_never_user_text(cli, home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_TUI_LOG", "1")
    _plant(cli, tmp_path)
    _boom(monkeypatch, f"crashed on {PLANTED[4]}")
    with pytest.raises(SystemExit):
        main(["list"])
    logs = sorted((home / "logs").glob("qa-tui.log*"))
    assert logs
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    for planted in PLANTED:
        for piece in (planted, *planted.split()):
            if len(piece) >= 3:
                assert piece.casefold() not in text.casefold(), f"{piece!r} reached the log"
    assert "command=new exit=0" in text and "command=action.add exit=0" in text
    assert "command=export exit=0" in text and "seconds=" in text
    assert "type=NotFound code=not-found" in text
    assert "type=RuntimeError" in text and "at=qa_tui." in text


def test_the_log_is_off_unless_asked(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("templates").code == 0
    assert not (home / "logs").exists()
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"log": true}', encoding="utf-8")
    assert cli("templates").code == 0
    assert "command=templates exit=0" in (home / "logs" / "qa-tui.log").read_text("utf-8")


def test_an_old_python_is_told_plainly() -> None:
    probe = ("import sys; sys.version_info = (3, 9, 18, 'final', 0)\n"
             "import runpy; runpy.run_module('qa_tui', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("qa-tui needs Python 3.11 or newer (this is Python 3.9")
