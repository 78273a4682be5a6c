"""Provides the progress database's connection and its schema migrations (PRAGMA user_version).

Every `sqlite3.Error` and `OSError` that reaching the file can raise comes out of a connection
made here as one `StoreError`: its message says what failed, where, and what to do, and its
`fault` (a `StoreFault`) says why, so the app can keep a change pending and retry it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

from tracker.errors import SchemaTooNewError, StoreError, StoreFault

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "Migration",
    "connect",
    "is_read_only_location",
    "migrate",
    "schema_version",
    "store_error",
]

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another process's write lock before giving up."""

Migration = Sequence[str]
"""One migration: SQL statements run in order; migration N takes user_version from N-1 to N."""

_V1: Migration = (
    # The append-only log. One user action (ticking a whole item, one review) is one `action`;
    # its id is the id of its first event. An undo appends the inverse events as a new action
    # whose events carry `undoes` = the action they reverse. Nothing is ever updated or deleted.
    """
    CREATE TABLE events (
        id      INTEGER PRIMARY KEY,
        action  INTEGER NOT NULL,
        at      TEXT    NOT NULL,
        kind    TEXT    NOT NULL,
        key     TEXT    NOT NULL,
        value   TEXT    NOT NULL CHECK (json_valid(value)),
        undoes  INTEGER
    )
    """,
    "CREATE INDEX events_by_action ON events (action)",
    "CREATE INDEX events_by_undoes ON events (undoes) WHERE undoes IS NOT NULL",
    "CREATE INDEX events_by_at ON events (at)",
    "CREATE INDEX events_by_kind_key ON events (kind, key)",
    # Current state, derived from the log in the same transaction as each event.
    """
    CREATE TABLE part_state (
        key      TEXT    PRIMARY KEY,
        is_done  INTEGER NOT NULL,
        position INTEGER,
        updated  TEXT    NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE notes (
        id      INTEGER PRIMARY KEY,
        key     TEXT NOT NULL,
        text    TEXT NOT NULL,
        created TEXT NOT NULL
    )
    """,
    "CREATE INDEX notes_by_key ON notes (key)",
    """
    CREATE TABLE questions (
        id      INTEGER PRIMARY KEY,
        meeting TEXT    NOT NULL,
        text    TEXT    NOT NULL,
        is_done INTEGER NOT NULL,
        created TEXT    NOT NULL
    )
    """,
    "CREATE INDEX questions_by_meeting ON questions (meeting)",
    """
    CREATE TABLE cards (
        question_id TEXT    PRIMARY KEY,
        card        TEXT    NOT NULL CHECK (json_valid(card)),
        due         TEXT    NOT NULL,
        lapses      INTEGER NOT NULL,
        reps        INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    "CREATE INDEX cards_by_due ON cards (due)",
)

_V2: Migration = (
    # A video's watched spans (JSON `[[from, to], ...]`), recorded per item's segment, so that
    # two items on two segments of one video are done apart. NULL: the old `position` alone.
    "ALTER TABLE part_state ADD COLUMN watched TEXT CHECK (watched IS NULL OR json_valid(watched))",
)

_QUARTER_HOUR = "substr({at}, 1, 14), CAST(substr({at}, 15, 2) AS INTEGER) / 15"
"""An event time's UTC hour (`2024-04-08T17:`) and quarter of that hour (0-3), in SQL."""

_V3: Migration = (
    # How many events each UTC quarter hour holds (undo events included), kept by a trigger as
    # each event is written, so that the activity heatmap reads a few thousand rows instead of
    # grouping the whole log. A quarter hour lies within one local day in every zone in use.
    """
    CREATE TABLE activity (
        hour    TEXT    NOT NULL,
        quarter INTEGER NOT NULL,
        events  INTEGER NOT NULL,
        PRIMARY KEY (hour, quarter)
    ) WITHOUT ROWID
    """,
    "INSERT INTO activity (hour, quarter, events)"
    f" SELECT {_QUARTER_HOUR.format(at='at')}, count(*) FROM events GROUP BY 1, 2",
    f"""
    CREATE TRIGGER events_activity AFTER INSERT ON events BEGIN
        INSERT INTO activity (hour, quarter, events)
        VALUES ({_QUARTER_HOUR.format(at="new.at")}, 1)
        ON CONFLICT (hour, quarter) DO UPDATE SET events = events + 1;
    END
    """,
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3)
"""The schema's history: `MIGRATIONS[i]` takes the database from version i to i + 1. Append only."""


_SQLITE_FAULTS: dict[int, StoreFault] = {
    5: StoreFault.LOCKED,  # SQLITE_BUSY
    6: StoreFault.LOCKED,  # SQLITE_LOCKED
    8: StoreFault.READ_ONLY,  # SQLITE_READONLY
    10: StoreFault.IO,  # SQLITE_IOERR
    11: StoreFault.CORRUPT,  # SQLITE_CORRUPT
    13: StoreFault.FULL,  # SQLITE_FULL
    14: StoreFault.CANNOT_OPEN,  # SQLITE_CANTOPEN
    23: StoreFault.READ_ONLY,  # SQLITE_AUTH
    26: StoreFault.CORRUPT,  # SQLITE_NOTADB
}
"""SQLite's primary result codes (the low byte of an extended code) to faults."""

_OS_FAULTS: dict[int, StoreFault] = {
    errno.ENOSPC: StoreFault.FULL,
    errno.EDQUOT: StoreFault.FULL,
    errno.EROFS: StoreFault.READ_ONLY,
    errno.EACCES: StoreFault.READ_ONLY,
    errno.EPERM: StoreFault.READ_ONLY,
    errno.EIO: StoreFault.IO,
    errno.ENOENT: StoreFault.CANNOT_OPEN,
    errno.ENOTDIR: StoreFault.CANNOT_OPEN,
    errno.EEXIST: StoreFault.CANNOT_OPEN,  # a file where the data directory should be
}

_ADVICE: dict[StoreFault, str] = {
    StoreFault.LOCKED: (
        "another program holds its write lock (a second study app, a backup, an open sqlite3"
        " shell); close it and try again"
    ),
    StoreFault.FULL: "the disk is full; free some space and try again",
    StoreFault.READ_ONLY: (
        "it cannot be written here; make the directory writable, or pass --data-dir DIR"
    ),
    StoreFault.CORRUPT: (
        "the file is damaged; move it aside and restore a backup (study export, if it still"
        " reads, keeps what can be read)"
    ),
    StoreFault.IO: "the disk reported an input/output error; check the disk and try again",
    StoreFault.CANNOT_OPEN: (
        "check that the directory exists and can be read, or pass --data-dir DIR"
    ),
    StoreFault.OTHER: "try again; if it persists, check the file with sqlite3",
}
"""What to do about each fault, said after what failed and where."""


def store_error(error: BaseException, path: str, doing: str = "use") -> StoreError:
    """The one-line `StoreError` for a failure of the database at `path`.

    Args:
        error: The `sqlite3.Error` or `OSError` raised.
        path: The database file.
        doing: What was being done: "open", "read", "write" or "use".

    Returns:
        A StoreError saying what failed, where and what to do, with its `fault`.
    """
    if isinstance(error, StoreError):
        return error
    fault = StoreFault.OTHER
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int):
            fault = _SQLITE_FAULTS.get(code & 0xFF, StoreFault.OTHER)
        reason = str(error) or type(error).__name__
    elif isinstance(error, OSError):
        fault = _OS_FAULTS.get(error.errno or 0, StoreFault.OTHER)
        reason = error.strerror or str(error)
        if error.filename and str(error.filename) != path:
            reason = f"{error.filename}: {reason}"
    else:
        reason = str(error) or type(error).__name__
    if fault is StoreFault.IO and _is_disk_full(path):
        fault = StoreFault.FULL  # SQLite says "disk I/O error" when its -shm cannot grow
    return StoreError(
        f"{path}: cannot {doing} the progress database ({reason}): {_ADVICE[fault]}", fault
    )


def _is_disk_full(path: str) -> bool:
    """Whether the file system holding `path` has no block left for us."""
    try:
        info = os.statvfs(Path(path).parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail == 0


def _doing(sql: str) -> str:
    word = sql.lstrip()[:6].upper()
    return "read" if word in ("SELECT", "PRAGMA") or sql.strip().upper() == "BEGIN" else "write"


class _Cursor(sqlite3.Cursor):
    """A cursor whose every `sqlite3.Error` comes out as a located `StoreError`."""

    def _fail(self, error: sqlite3.Error, doing: str = "read") -> StoreError:
        return store_error(error, getattr(self.connection, "path", "database"), doing)

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as error:
            raise self._fail(error, _doing(sql)) from error
        return self

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> _Cursor:
        try:
            super().executemany(sql, parameters)
        except sqlite3.Error as error:
            raise self._fail(error, "write") from error
        return self

    def executescript(self, script: str, /) -> _Cursor:
        try:
            super().executescript(script)
        except sqlite3.Error as error:
            raise self._fail(error, "write") from error
        return self

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as error:
            raise self._fail(error) from error

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as error:
            raise self._fail(error) from error

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as error:
            raise self._fail(error) from error

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as error:
            raise self._fail(error) from error


class _Connection(sqlite3.Connection):
    """A connection whose cursors turn every `sqlite3.Error` into a located `StoreError`."""

    path: str = "database"
    """The database file, for messages."""
    is_read_only: bool = False
    """Whether the file was opened read-only (a read-only directory or file system)."""

    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:
        return self.cursor().executescript(script)

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as error:
            raise store_error(error, self.path, "write") from error


def is_read_only_location(path: Path | str) -> bool:
    """Whether the database at `path` exists but cannot be written there.

    True on a read-only file system or mount, or when the file or its directory is not writable
    (SQLite needs the directory for its journal). A missing file is not read-only: it will be
    created, or fail to be, with its own error.
    """
    file = Path(path)
    if not file.exists():
        return False
    return not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK | os.X_OK))


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new, empty one)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def connect(
    path: Path | str,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    read_only: bool | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> sqlite3.Connection:
    """Opens (creating if needed) the progress database and brings its schema up to date.

    The connection is in autocommit mode (`isolation_level=None`): writers open their own
    `BEGIN IMMEDIATE` transaction. The journal is WAL with `synchronous=NORMAL` (a killed process
    loses no committed transaction), foreign keys are on, and a writer waits up to
    `busy_timeout_ms` for another process's lock instead of failing at once. The connection may
    be used from several threads, one at a time (the caller serialises). Every `sqlite3.Error`
    its cursors raise comes out as a `StoreError` naming the file (`store_error`).

    A database that exists where it cannot be written (a read-only directory, mount or file) is
    opened read-only: reading works, and each write fails with `StoreFault.READ_ONLY`. Its
    `is_read_only` attribute says so.

    Args:
        path: The database file, or ":memory:".
        migrations: The schema's history (tests pass their own).
        read_only: Open read-only (None: when `is_read_only_location(path)`).
        busy_timeout_ms: How long a statement waits for another process's lock.

    Returns:
        The open connection, its schema at version `len(migrations)` (a read-only one must
        already be at that version).

    Raises:
        SchemaTooNewError: The file was written by a newer version; it is left untouched.
        StoreError: The file cannot be opened, is not a database, or a migration failed.
    """
    name = str(path)
    if name == ":memory:":
        read_only = False
    elif read_only is None:
        read_only = is_read_only_location(name)
    try:
        if name != ":memory:" and not read_only:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        connection = _open(name, read_only=read_only)
    except (sqlite3.Error, OSError) as error:
        raise store_error(error, name, "open") from error
    connection.path = name
    connection.is_read_only = read_only
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # Refuse a newer schema before anything can write to the file (even the journal mode).
        version = schema_version(connection)
        _refuse_too_new(name, version, len(migrations))
        if read_only:
            if version != len(migrations):
                raise StoreError(
                    f"{name}: the progress database (schema version {version}) needs an upgrade,"
                    " but it is read-only here: open it once where it can be written",
                    StoreFault.READ_ONLY,
                )
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        else:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            migrate(connection, migrations, name=name)
    except sqlite3.Error as error:
        connection.close()
        raise store_error(error, name, "open") from error
    except StoreError as error:
        connection.close()
        cause = error.__cause__
        if isinstance(cause, sqlite3.Error):  # a statement's error, said as one of opening
            raise store_error(cause, name, "open") from cause
        raise
    except BaseException:
        connection.close()
        raise
    return connection


def _open(name: str, *, read_only: bool) -> _Connection:
    """The raw connection: read-write, or read-only (`immutable` when no journal can be made)."""
    if not read_only:
        return sqlite3.connect(
            name, isolation_level=None, check_same_thread=False, factory=_Connection
        )
    uri = "file:" + urllib.parse.quote(str(Path(name).resolve()))
    options: dict[str, Any] = {
        "uri": True,
        "isolation_level": None,
        "check_same_thread": False,
        "factory": _Connection,
    }
    connection = sqlite3.connect(uri + "?mode=ro", **options)
    try:
        connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except StoreError:
        # A WAL database in a directory where its -shm file cannot be made: nothing can write
        # there either, so it is read as an immutable file.
        connection.close()
        connection = sqlite3.connect(uri + "?immutable=1", **options)
    return cast("_Connection", connection)


def migrate(
    connection: sqlite3.Connection, migrations: Sequence[Migration], *, name: str = "database"
) -> int:
    """Applies the migrations the database lacks, all in one transaction.

    Two processes may open a new database at once: the version is read again under the write
    lock, so each migration runs exactly once.

    Args:
        connection: An autocommit connection (`isolation_level=None`).
        migrations: The schema's history.
        name: The file's name, for messages.

    Returns:
        The schema version afterwards (`len(migrations)`).

    Raises:
        SchemaTooNewError: The database is newer than `migrations`; nothing was changed.
        sqlite3.Error: A migration failed; the transaction was rolled back, the version unchanged.
    """
    target = len(migrations)
    if schema_version(connection) == target:
        return target
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(connection)
        _refuse_too_new(name, current, target)
        for migration in migrations[current:]:
            for statement in migration:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {target}")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return target


def _refuse_too_new(name: str, found: int, known: int) -> None:
    """Raises SchemaTooNewError when the database's version `found` is above the `known` one."""
    if found > known:
        raise SchemaTooNewError(
            f"{name}: the progress database has schema version {found}, but this version of "
            f"study-tracker knows only up to version {known}. The file was left untouched; "
            "upgrade study-tracker to open it."
        )
