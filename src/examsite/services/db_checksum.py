"""Checksums of a database's tables that read the same on SQLite and PostgreSQL.

``db copy`` proves a copy by comparing, table by table, the row count and a SHA-256 over
the rows in primary-key order, computed the same way on both sides from the values as the
program reads them (through the models' column types). Each value is normalised so that
what differs only in how an engine stores it does not count, and everything else does:

- ``None`` → null; a boolean → 0 / 1 (SQLite has no booleans);
- an integer as it is; a float as ``repr`` (the shortest text that reads back the same);
- a date or time → ISO text (SQLite keeps text, PostgreSQL ``timestamp``);
- bytes (photos: BLOB / ``bytea``) → the SHA-256 of the bytes in hex;
- JSON (SQLite text, PostgreSQL ``json``) and the certificate rules stored as JSON → the
  canonical JSON text (keys sorted, no spaces).

Photos are also hashed one by one (``RowHasher.photos``: the photo's id → a SHA-256 over
the SHA-256 of each of its byte columns), so a report can say which photo differs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection, LargeBinary, Table, select

#: The table whose rows are photos: each row's bytes are hashed on their own too.
PHOTO_TABLE: Final = "photo"


def normalised(value: Any) -> Any:
    """``value`` as the checksum sees it (see the module's docstring)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return "f:" + repr(value)
    if isinstance(value, decimal.Decimal):
        return "f:" + repr(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "t:" + value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + hashlib.sha256(bytes(value)).hexdigest()
    return "j:" + canonical_json(value)


def canonical_json(value: Any) -> str:
    """JSON text with sorted keys and no spaces; objects with ``to_plain`` (the rules) and
    dataclasses as their plain form."""
    return json.dumps(
        _plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


def _plain(value: Any) -> Any:
    to_plain = getattr(value, "to_plain", None)
    if callable(to_plain):
        return to_plain()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@dataclass
class RowHasher:
    """The count and SHA-256 of one table's rows, fed in primary-key order."""

    columns: Sequence[str]
    blob_columns: Sequence[str] = ()
    keep_photos: bool = False
    count: int = 0
    photos: dict[Any, str] = field(default_factory=dict)
    _digest: Any = field(default_factory=hashlib.sha256, repr=False)
    _blob_at: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._blob_at = {name: self.columns.index(name) for name in self.blob_columns}

    @classmethod
    def of(cls, table: Table) -> RowHasher:
        blobs = [c.name for c in table.columns if isinstance(c.type, LargeBinary)]
        return cls([c.name for c in table.columns], blobs, keep_photos=table.name == PHOTO_TABLE)

    def add(self, row: Mapping[str, Any]) -> None:
        values = [normalised(row[name]) for name in self.columns]
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        self._digest.update(line.encode("utf-8"))
        self._digest.update(b"\n")
        self.count += 1
        if self.keep_photos:
            # The bytes' own digests are in ``values`` already: hashed once, not twice.
            blobs = [values[self._blob_at[name]] for name in self.blob_columns]
            self.photos[row["id"]] = hashlib.sha256("|".join(map(str, blobs)).encode()).hexdigest()

    def add_all(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.add(row)

    @property
    def checksum(self) -> str:
        return str(self._digest.hexdigest())


def ordered_rows(connection: Connection, table: Table, batch: int = 500) -> Iterable[Any]:
    """The rows of ``table`` in primary-key order, fetched ``batch`` at a time."""
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(query)
    for part in result.mappings().partitions(batch):
        yield from part


def table_checksum(connection: Connection, table: Table) -> RowHasher:
    """The count and checksum of ``table`` as ``connection`` sees it."""
    hasher = RowHasher.of(table)
    hasher.add_all(ordered_rows(connection, table))
    return hasher
