"""Where models are built: URL parsing, connections, schema names and every dialect quirk.

This is the one module that checks the backend's name and the only one that writes SQL text (DDL
for the swap and the runner's state statements), built with sqlglot so identifiers are quoted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ibis
import ibis.expr.types as ir
import sqlglot as sg
import sqlglot.expressions as sge
from ibis.backends import BaseBackend

from ibis_models.framework.errors import TargetError

__all__ = ["Target", "DEFAULT_TARGET", "TARGET_ENV", "DIALECTS", "STATE_SCHEMA", "new_name", "old_name", "is_leftover"]

DEFAULT_TARGET = "duckdb:///ibis_models.duckdb"
TARGET_ENV = "IBIS_MODELS_TARGET"
DIALECTS = ("duckdb", "postgres")
STATE_SCHEMA = "ibis_models"
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]+:)([^@]+)(@)")


@dataclass(frozen=True, slots=True)
class Target:
    """A database to build in, from a URL (``duckdb:///file.duckdb``, ``postgres://u:p@h:5432/db``)."""

    url: str
    backend: str
    raw_schema: str = "raw"

    @classmethod
    def from_url(cls, url: str | None = None, *, raw_schema: str = "raw") -> Target:
        text = url or os.environ.get(TARGET_ENV) or DEFAULT_TARGET
        scheme = text.split("://", 1)[0].lower() if "://" in text else ""
        if scheme == "duckdb":
            stem = Path(text.split("://", 1)[1]).stem
            if stem in {raw_schema, "staging", "intermediate"}:
                raise TargetError(
                    f"DuckDB file '{stem}.duckdb' is named like the schema '{stem}', which makes \"{stem}\".<table> "
                    "ambiguous in DuckDB; choose another file name"
                )
            return cls(text, "duckdb", raw_schema)
        if scheme in ("postgres", "postgresql"):
            parts = urlsplit(text)
            if not parts.hostname or not parts.path.strip("/"):
                raise TargetError(f"target '{_redact_url(text)}' needs a host and a database: postgres://user:pass@host:5432/db")
            return cls(text, "postgres", raw_schema)
        raise TargetError(
            f"target '{_redact_url(text)}' is not supported: use duckdb:///path.duckdb or postgres://user:pass@host:port/db"
        )

    # -- description -------------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        return self.backend

    @property
    def is_in_memory(self) -> bool:
        return self.backend == "duckdb" and self.url.rstrip("/") in ("duckdb:", "duckdb://", "duckdb:///:memory:")

    @property
    def duckdb_path(self) -> str:
        """The DuckDB file (``duckdb:///rel.duckdb`` is relative, ``duckdb:////abs.duckdb`` absolute)."""
        path = self.url.split("://", 1)[1]
        return path[1:] if path.startswith("/") else path

    @property
    def redacted_url(self) -> str:
        return _redact_url(self.url)

    def describe(self) -> dict[str, Any]:
        """The target for reports: never the password."""
        if self.backend == "duckdb":
            return {"backend": "duckdb", "path": self.url.split("://", 1)[1].lstrip("/") or ":memory:"}
        parts = urlsplit(self.url)
        return {
            "backend": "postgres",
            "host": parts.hostname,
            "port": parts.port or 5432,
            "database": parts.path.strip("/"),
            "user": parts.username,
        }

    def redact(self, text: str) -> str:
        """Remove this target's password from any text (error messages included)."""
        password = urlsplit(self.url).password if self.backend == "postgres" else None
        text = _redact_url(text)
        return text.replace(password, "***") if password else text

    # -- connections ---------------------------------------------------------------------------
    def connect(self) -> BaseBackend:
        """A new connection (Ibis backends are not thread-safe: one per worker)."""
        try:
            if self.backend == "duckdb":
                path = self.duckdb_path
                if path and path != ":memory:":
                    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                return ibis.duckdb.connect(path or ":memory:")
            con = ibis.connect(self.url.replace("postgresql://", "postgres://", 1))
        except Exception as exc:  # driver errors vary; the password must not leak
            raise TargetError(f"cannot connect to {self.redacted_url}: {self.redact(str(exc))}") from None
        # A killed client's query is cancelled within a second instead of running on and holding its
        # locks (PostgreSQL 14+; older servers ignore the unknown setting's failure).
        try:
            con.raw_sql("SET client_connection_check_interval = '1s'")
        except Exception:  # noqa: BLE001 - optional server feature
            con.con.rollback() if not con.con.autocommit else None
        return con

    # -- catalog -------------------------------------------------------------------------------
    # DuckDB names its catalog after the file, so ibis_models.duckdb holds a catalog "ibis_models" and
    # "ibis_models".<table> would be ambiguous with the runner's schema: on DuckDB every name the
    # runner writes is qualified with the catalog.
    def database(self, con: BaseBackend, schema: str) -> str | tuple[str, str]:
        """The ``database=`` argument Ibis needs for ``schema``."""
        return (con.current_catalog, schema) if self.backend == "duckdb" else schema

    def qualified(self, con: BaseBackend, schema: str, name: str) -> str:
        """``schema.name`` as SQL text (catalog-qualified on DuckDB)."""
        catalog = con.current_catalog if self.backend == "duckdb" else None
        return sg.table(name, db=schema, catalog=catalog, quoted=True).sql(self.dialect)

    def ensure_schema(self, con: BaseBackend, schema: str) -> None:
        catalog = con.current_catalog if self.backend == "duckdb" else None
        name = sge.Table(
            this=sg.to_identifier(schema, quoted=True), db=sg.to_identifier(catalog, quoted=True) if catalog else None
        )
        con.raw_sql(sge.Create(this=name, kind="SCHEMA", exists=True).sql(self.dialect))

    def list_tables(self, con: BaseBackend, schema: str) -> list[str]:
        """Tables and views in ``schema`` ([] when the schema does not exist)."""
        return list(con.list_tables(database=self.database(con, schema)))

    def table(self, con: BaseBackend, schema: str, name: str) -> ir.Table:
        return con.table(name, database=self.database(con, schema))

    def relation_kind(self, con: BaseBackend, schema: str, name: str) -> str | None:
        """'table', 'view' or None."""
        query = (
            sg.select("table_type")
            .from_(sg.table("tables", db="information_schema"))
            .where(sg.column("table_schema").eq(sge.convert(schema)))
            .where(sg.column("table_name").eq(sge.convert(name)))
        )
        rows = self.fetch(con, query.sql(self.dialect))
        if not rows:
            return None
        return "view" if "VIEW" in str(rows[0][0]).upper() else "table"

    # -- building ------------------------------------------------------------------------------
    def create(self, con: BaseBackend, schema: str, name: str, expr: ir.Table, kind: str) -> None:
        if kind == "view":
            con.create_view(name, obj=expr, database=self.database(con, schema))
            return
        con.create_table(name, obj=expr, database=self.database(con, schema))
        if self.backend == "postgres":
            # a new table has no statistics until autovacuum gets to it; the models that read it next
            # would be planned blind (nested loops over thousands of rows)
            con.raw_sql(f"ANALYZE {self.qualified(con, schema, name)}").close()

    def drop(self, con: BaseBackend, schema: str, name: str, kind: str | None = None) -> None:
        kind = kind or self.relation_kind(con, schema, name)
        if kind is None:
            return
        con.raw_sql(self._drop_sql(con, schema, name, kind))

    def _drop_sql(self, con: BaseBackend, schema: str, name: str, kind: str) -> str:
        sql = f"DROP {kind.upper()} IF EXISTS {self.qualified(con, schema, name)}"
        # A Postgres view that reads the dropped table goes with it; its model rebuilds on the next run.
        return sql + " CASCADE" if self.backend == "postgres" else sql

    def _rename_sql(self, con: BaseBackend, schema: str, name: str, new_name: str, kind: str) -> str:
        keyword = "VIEW" if kind == "view" else "TABLE"
        target = sg.to_identifier(new_name, quoted=True).sql(self.dialect)
        return f"ALTER {keyword} {self.qualified(con, schema, name)} RENAME TO {target}"

    @contextmanager
    def transaction(self, con: BaseBackend) -> Iterator[Any]:
        """A driver-level transaction; yields a cursor-like object with ``execute(sql, params)``."""
        raw = con.con
        if self.backend == "duckdb":
            raw.begin()
            try:
                yield raw
            except BaseException:
                raw.rollback()
                raise
            else:
                raw.commit()
        else:
            with raw.transaction(), raw.cursor() as cursor:
                yield cursor

    def execute_statements(self, cursor: Any, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Run ``(sql, params)`` pairs written with ``?`` placeholders inside a transaction."""
        for sql, params in statements:
            cursor.execute(sql if self.backend == "duckdb" else sql.replace("?", "%s"), list(params))

    def swap_in(
        self,
        con: BaseBackend,
        schema: str,
        name: str,
        new_name: str,
        kind: str,
        old_kind: str | None,
        state_statements: Sequence[tuple[str, Sequence[Any]]],
    ) -> None:
        """In one transaction: old aside, new in, old dropped, state written."""
        aside = old_name(name)
        with self.transaction(con) as cursor:
            if old_kind is not None:
                cursor.execute(self._rename_sql(con, schema, name, aside, old_kind))
            cursor.execute(self._rename_sql(con, schema, new_name, name, kind))
            if old_kind is not None:
                cursor.execute(self._drop_sql(con, schema, aside, old_kind))
            self.execute_statements(cursor, state_statements)

    def export_csv(self, con: BaseBackend, expr: ir.Table, path: str) -> None:
        """Write the rows of ``expr`` to a CSV file with the database's own COPY (NULL is an unquoted
        empty field, an empty string a quoted one): far faster than fetching rows through the driver."""
        if self.backend == "duckdb":
            con.to_csv(expr, path, header=False)  # DuckDB's COPY ... TO
            return
        with con.con.cursor() as cursor, cursor.copy(f"COPY ({con.compile(expr)}) TO STDOUT WITH (FORMAT csv)") as copy:
            with open(path, "wb") as out:
                for data in copy:
                    out.write(data)

    def fetch(self, con: BaseBackend, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Rows of a SELECT the runner itself writes (state tables, catalog)."""
        raw = con.con
        if self.backend == "duckdb":
            return raw.execute(sql, list(params)).fetchall()
        with raw.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), list(params))
            return cursor.fetchall()


def new_name(name: str) -> str:
    """Where a model is built before it is swapped in."""
    return f"{name}__ibm_new"


def old_name(name: str) -> str:
    """Where the previous table waits during the swap."""
    return f"{name}__ibm_old"


def is_leftover(name: str) -> bool:
    return name.endswith("__ibm_new") or name.endswith("__ibm_old")


def _redact_url(text: str) -> str:
    return _PASSWORD_IN_URL.sub(r"\1***\3", text)
