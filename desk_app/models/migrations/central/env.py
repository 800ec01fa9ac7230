"""Alembic environment of the central PostgreSQL database (desk-app central upgrade)."""

from alembic import context

from desk_app.models.central import central_metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` command line, for autogenerate during development
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or ""
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=central_metadata,
    compare_type=True,
    version_table="alembic_version_central",
)
with context.begin_transaction():
    context.run_migrations()
