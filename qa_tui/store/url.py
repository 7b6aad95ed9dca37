"""Telling a database URL from a file path, and printing one without its password.

``--db`` and ``QA_TUI_DB`` take a plain path (SQLite, today's behaviour), ``sqlite:///path`` or
``postgresql://user[:password]@host[:port]/dbname``. This module is pure stdlib so that the
config and the CLI can classify and mask a value without loading the database code.

Credentials must never reach output, logs or errors: everything that names a server goes
through :func:`mask` (or :func:`server`), and :func:`scrub` removes a password from any text a
driver hands back, in case a message quotes the connection string.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
MASK = "***"


def is_url(value: str) -> bool:
    """A value with a scheme (``name://``); anything else is a file path."""
    head, sep, _ = value.partition("://")
    return bool(sep) and head.replace("+", "").isalnum()


def is_postgres(value: object) -> bool:
    return isinstance(value, str) and is_url(value) and scheme(value) in POSTGRES_SCHEMES


def scheme(value: str) -> str:
    return value.partition("://")[0].lower()


def sqlite_path(value: str) -> Path:
    """The file of a ``sqlite:///path`` URL (``sqlite:////abs`` for an absolute path on POSIX,
    as SQLAlchemy spells it; ``sqlite:///~/x`` expands the home folder)."""
    rest = value.partition("://")[2]
    if not rest.startswith("/"):
        raise ValueError("a sqlite URL is sqlite:///path/to/file.sqlite3")
    return Path(unquote(rest[1:]) or ".").expanduser()


def password(value: str) -> str | None:
    """The password written in the URL, if any (decoded)."""
    try:
        parts = urlsplit(value)
        return None if parts.password is None else unquote(parts.password)
    except ValueError:
        return None


def mask(value: str) -> str:
    """The URL with any password replaced by ``***`` (query parameters such as
    ``password=`` too); safe to print."""
    if not is_url(value):
        return value
    head, _, rest = value.partition("://")
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{hostport}" if colon else f"{user}@{hostport}"
    if "?" in tail:
        path, _, query = tail.partition("?")
        kept = []
        for item in query.split("&"):
            key = item.partition("=")[0]
            kept.append(f"{key}={MASK}" if key.lower() in ("password", "passfile") else item)
        tail = f"{path}?{'&'.join(kept)}"
    return f"{head}://{netloc}{slash}{tail}"


def scrub(text: str, value: str) -> str:
    """``text`` with the URL's password (raw and decoded) removed wherever it appears."""
    secret = password(value)
    if secret:
        raw = value.partition("://")[2].partition("@")[0].partition(":")[2]
        for needle in {secret, raw}:
            if needle:
                text = text.replace(needle, MASK)
    return text.replace(value, mask(value))


def server(value: str) -> str:
    """``host:port`` the URL points at (libpq defaults: the local socket, port 5432)."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return "an unparseable address"
    query = dict(item.partition("=")[::2] for item in parts.query.split("&") if item)
    host = host or unquote(query.get("host", "")) or "the local socket"
    return f"{host}:{port or query.get('port') or 5432}"
