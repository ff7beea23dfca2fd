"""Alembic environment for the central database; the caller hands over the connection."""

from alembic import context
from sqlalchemy import create_engine

from central_server.schema import database_metadata

connection = context.config.attributes.get("connection")


def _run(conn) -> None:
    # Batch mode: SQLite can barely ALTER TABLE, so changes rebuild the table (PostgreSQL alters in place).
    context.configure(connection=conn, target_metadata=database_metadata(), render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    # Developer use (``alembic revision --autogenerate``): a URL from ``-x url=...``.
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///central-dev.sqlite3")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
