"""Fixtures for the PostgreSQL tests: one throwaway cluster per test session (per xdist worker),
a fresh database per test. Imported by conftest.py so every test module can ask for them."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def pg_cluster():  # type: ignore[no-untyped-def]
    """A PostgreSQL server on a private Unix socket, removed after the session.

    Missing binaries or driver skip the test on a developer machine but fail it in CI
    (``CI=true``): there a skipped PostgreSQL test would hide a broken central store.
    """
    from tests.pg_cluster import Cluster, find_bin

    bindir = find_bin()
    problem = None
    if bindir is None:
        problem = "PostgreSQL server binaries not found (apt-get install postgresql)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            problem = "psycopg is not installed (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem}: PostgreSQL tests must run in CI")
        pytest.skip(problem)
    cluster = Cluster(bindir).start()  # type: ignore[arg-type]
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty database on the session's cluster (no schema yet)."""
    return pg_cluster.url(pg_cluster.create_database())


@pytest.fixture
def pg_store_url(pg_url: str) -> str:
    """A fresh database with the current schema, as `qa-tui db upgrade` leaves it."""
    from qa_tui.store import open_store

    open_store(pg_url, migrate=True).close()
    return pg_url
