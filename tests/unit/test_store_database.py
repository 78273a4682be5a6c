"""Tests the progress database's connection settings and its migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracker.errors import SchemaTooNewError, StoreError
from tracker.store.database import BUSY_TIMEOUT_MS, MIGRATIONS, connect, schema_version

V1 = (("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",),)
"""A test-only history: version 1 has things."""
V2 = (
    *V1,
    (
        "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'",
        "CREATE INDEX things_by_colour ON things (colour)",
    ),
)
"""Version 2 gives things a colour."""


def test_fresh_database_gets_the_whole_schema_and_its_version(tmp_path: Path) -> None:
    connection = connect(tmp_path / "p.sqlite3")
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type='table'")
    }
    assert schema_version(connection) == len(MIGRATIONS)
    assert {"events", "part_state", "notes", "questions", "cards"} <= tables
    connection.close()


def test_pragmas_wal_normal_foreign_keys_busy_timeout_autocommit(tmp_path: Path) -> None:
    connection = connect(tmp_path / "p.sqlite3")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert connection.isolation_level is None
    assert not connection.in_transaction
    connection.close()


def test_memory_database_is_allowed() -> None:
    connection = connect(":memory:")
    assert schema_version(connection) == len(MIGRATIONS)
    connection.close()


def test_connect_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "p.sqlite3"
    connect(path).close()
    assert path.is_file()


def test_upgrade_from_version_1_to_2_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    old = connect(path, migrations=V1)
    old.execute("INSERT INTO things (name) VALUES ('kettle')")
    assert schema_version(old) == 1
    old.close()

    new = connect(path, migrations=V2)
    assert schema_version(new) == 2
    assert new.execute("SELECT name, colour FROM things").fetchall() == [("kettle", "red")]
    new.close()


def test_reopening_at_the_same_version_runs_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    connect(path, migrations=V1).close()
    # Would fail with "table things already exists" if version 1 ran again.
    connection = connect(path, migrations=V1)
    assert schema_version(connection) == 1
    connection.close()


def test_a_failing_migration_leaves_the_database_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    connect(path, migrations=V1).close()
    broken = (*V1, ("CREATE TABLE half_done (x)", "THIS IS NOT SQL"))
    with pytest.raises(StoreError, match="cannot open"):
        connect(path, migrations=broken)
    connection = connect(path, migrations=V1)
    assert schema_version(connection) == 1
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_schema")}
    assert "half_done" not in tables  # the whole upgrade was one transaction
    connection.close()


def test_too_new_database_is_refused_and_left_byte_for_byte_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    plain = sqlite3.connect(path)  # rollback journal, as a newer version might have left it
    plain.execute("CREATE TABLE future (x)")
    plain.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    plain.commit()
    plain.close()
    before = path.read_bytes()

    with pytest.raises(SchemaTooNewError) as caught:
        connect(path)

    message = str(caught.value)
    assert str(path) in message
    assert f"version {len(MIGRATIONS) + 5}" in message
    assert f"up to version {len(MIGRATIONS)}" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.sqlite3"]  # no -wal, no -shm


def test_too_new_wal_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    connect(path).close()  # a WAL database of ours...
    plain = sqlite3.connect(path)
    plain.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")  # ...from a newer version
    plain.commit()
    plain.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match=f"schema version {len(MIGRATIONS) + 1}"):
        connect(path)
    assert path.read_bytes() == before
    reopened = sqlite3.connect(path)
    assert schema_version(reopened) == len(MIGRATIONS) + 1
    reopened.close()


def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not an SQLite file, just some text" * 100)
    with pytest.raises(StoreError, match=r"p\.sqlite3"):
        connect(path)


def test_an_open_connection_sees_an_upgrade_made_through_another(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = connect(path, migrations=V1)
    second = connect(path, migrations=V2)  # upgrades while `first` is open
    assert schema_version(first) == 2
    first.execute("INSERT INTO things (name) VALUES ('cup')")
    assert second.execute("SELECT colour FROM things").fetchall() == [("red",)]
    first.close()
    second.close()
