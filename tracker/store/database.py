"""Provides the progress database's connection and its schema migrations (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tracker.errors import SchemaTooNewError, StoreError

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "Migration", "connect", "migrate", "schema_version"]

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

MIGRATIONS: tuple[Migration, ...] = (_V1,)
"""The schema's history: `MIGRATIONS[i]` takes the database from version i to i + 1. Append only."""


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new, empty one)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def connect(
    path: Path | str, *, migrations: Sequence[Migration] = MIGRATIONS
) -> sqlite3.Connection:
    """Opens (creating if needed) the progress database and brings its schema up to date.

    The connection is in autocommit mode (`isolation_level=None`): writers open their own
    `BEGIN IMMEDIATE` transaction. The journal is WAL with `synchronous=NORMAL` (a killed process
    loses no committed transaction), foreign keys are on, and a writer waits up to
    `BUSY_TIMEOUT_MS` for another process's lock instead of failing at once. The connection may
    be used from several threads, one at a time (the caller serialises).

    Args:
        path: The database file, or ":memory:".
        migrations: The schema's history (tests pass their own).

    Returns:
        The open connection, its schema at version `len(migrations)`.

    Raises:
        SchemaTooNewError: The file was written by a newer version; it is left untouched.
        StoreError: The file cannot be opened, is not a database, or a migration failed.
    """
    name = str(path)
    if name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError(f"{name}: cannot open the progress database: {error}") from error
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Refuse a newer schema before anything can write to the file (even the journal mode).
        _refuse_too_new(name, schema_version(connection), len(migrations))
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection, migrations, name=name)
    except sqlite3.Error as error:
        connection.close()
        raise StoreError(f"{name}: cannot open the progress database: {error}") from error
    except BaseException:
        connection.close()
        raise
    return connection


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
