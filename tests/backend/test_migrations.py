from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.persistence.models import Base


def test_the_migrations_build_exactly_the_schema_the_models_describe(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
