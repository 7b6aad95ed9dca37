"""Telling a database URL from a path, and never printing a password (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_tui.config import resolve_paths, with_db
from qa_tui.store.url import is_postgres, mask, scrub, server, sqlite_path


@pytest.mark.parametrize(("url", "masked"), [
    ("postgresql://ada:s3cret@db.example/qa", "postgresql://ada:***@db.example/qa"),
    ("postgresql://ada@db.example:6543/qa", "postgresql://ada@db.example:6543/qa"),
    ("postgres://ada:p%40ss@h/qa?sslmode=require", "postgres://ada:***@h/qa?sslmode=require"),
    ("postgresql://h/qa?user=ada&password=s3cret", "postgresql://h/qa?user=ada&password=***"),
    ("postgresql://ada:a:b@c@h/qa", "postgresql://ada:***@h/qa"),
])
def test_mask_hides_every_password(url: str, masked: str) -> None:
    assert mask(url) == masked


def test_scrub_removes_the_password_from_any_text() -> None:
    url = "postgresql://ada:p%40ss@h/qa"
    text = f"could not connect to {url} with p@ss or p%40ss"
    cleaned = scrub(text, url)
    assert "p@ss" not in cleaned and "p%40ss" not in cleaned


@pytest.mark.parametrize(("url", "where"), [
    ("postgresql://ada@db.example/qa", "db.example:5432"),
    ("postgresql://ada@db.example:6543/qa", "db.example:6543"),
    ("postgresql://ada@/qa?host=/run/postgresql&port=5433", "/run/postgresql:5433"),
    ("postgresql:///qa", "the local socket:5432"),
])
def test_server_names_host_and_port(url: str, where: str) -> None:
    assert server(url) == where


def test_paths_keep_plain_files_and_sqlite_urls_as_files(tmp_path: Path) -> None:
    env = {"QA_TUI_HOME": str(tmp_path)}
    plain = resolve_paths(db=str(tmp_path / "a.sqlite3"), env=env)
    assert plain.db_path == tmp_path / "a.sqlite3" and plain.db_url is None
    assert plain.database == tmp_path / "a.sqlite3"
    as_url = resolve_paths(db=f"sqlite:///{tmp_path}/b.sqlite3", env=env)
    assert as_url.database == tmp_path / "b.sqlite3"
    assert sqlite_path(f"sqlite:///{tmp_path}/b.sqlite3") == tmp_path / "b.sqlite3"
    server_db = resolve_paths(env={**env, "QA_TUI_DB": "postgresql://ada@h/qa"})
    assert server_db.database == "postgresql://ada@h/qa" and is_postgres(server_db.database)
    assert with_db(server_db, tmp_path / "c.sqlite3").database == tmp_path / "c.sqlite3"
