"""Alembic environment of the local (desk) database.

Run through desk_app.models.db, which hands over an open connection.
"""

from alembic import context

from desk_app.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` command line, for autogenerate during development
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///dev-migrations.db"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by rebuilding them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
