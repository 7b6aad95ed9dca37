"""A throwaway PostgreSQL cluster for the tests: ``initdb`` + ``pg_ctl`` on a Unix socket.

The cluster lives in a temporary folder, listens on no TCP port (``listen_addresses=''``) and
is removed afterwards. PostgreSQL refuses to run as root and CI runs as root, so then the server
runs as the ``postgres`` system user the Debian package creates (``runuser``), in a folder
chowned to it. Nothing here ever opens a network connection.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path


def find_bin() -> Path | None:
    """The newest installed server binaries (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


PASSWORD_ROLE = "qa_analyst"


class Cluster:
    """One running server; ``url(dbname)`` for the store, ``create_database()`` per test."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        """``durable`` keeps the server's fsync on (benchmarks: a fair comparison with SQLite's
        ``synchronous=FULL``); tests turn it off, since no test pulls the server's power."""
        self.bindir = bindir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="qa-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_root = os.geteuid() == 0
        self.superuser = "postgres"

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {proc.stderr}{proc.stdout}\n{log}")

    def start(self) -> Cluster:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)  # traversable, so this (root) process reaches the socket
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.superuser,
                  "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
        # One role must really check its password (the others are trusted), so the tests can
        # prove a password from the URL, PGPASSWORD or ~/.pgpass reaches libpq and never output.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n" + hba.read_text())
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
                   f"-c fsync={'on' if self.durable else 'off'} -c max_connections=60")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str, *, user: str | None = None, password: str | None = None) -> str:
        auth = user or self.superuser
        if password is not None:
            auth += f":{password}"
        return f"postgresql://{auth}@/{dbname}?host={self.root}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser outside a transaction (CREATE DATABASE ...)."""
        import psycopg

        with psycopg.connect(host=str(self.root), user=self.superuser, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        name = "qa_" + uuid.uuid4().hex[:12]
        self.admin(f"CREATE DATABASE {name}")
        return name
