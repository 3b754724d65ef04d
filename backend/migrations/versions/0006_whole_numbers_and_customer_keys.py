"""whole numbers for money and quantities; idempotency keys per customer

Money and quantities are integers on both engines: PostgreSQL's integer columns already are,
SQLite's "INTEGER" columns would keep 2.5 as a REAL, so there each gets a CHECK on typeof().
Amounts that cannot be negative get a CHECK on both. The checkout idempotency key becomes unique
per customer instead of across the shop.

SQLite rebuilds the tables (Alembic batch mode); run with foreign keys off
(backend.persistence.migrate does), or dropping the old `orders` would cascade to its lines.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names for the unnamed UNIQUE constraints SQLite reflects, so the old key's can be dropped.
NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
WHOLE = {
    "variants": ("price_minor",),
    "cart_lines": ("quantity",),
    "orders": ("total_minor",),
    "order_lines": ("quantity", "unit_price_minor"),
}
NOT_NEGATIVE = {
    "orders": ("total_minor",),
    "order_lines": ("unit_price_minor",),
}
POSITIVE = {"order_lines": ("quantity",)}
OLD_KEY = {"sqlite": "uq_orders_idempotency_key", "postgresql": "orders_idempotency_key_key"}
NEW_KEY = "uq_orders_customer_id_idempotency_key"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _repair_sqlite_reals()
    for table in ("variants", "cart_lines", "orders", "order_lines"):
        with op.batch_alter_table(
            table,
            naming_convention=NAMES,
            recreate="always" if dialect == "sqlite" else "auto",
        ) as batch:
            if dialect == "sqlite":
                for column in WHOLE[table]:
                    batch.create_check_constraint(
                        f"{column}_whole", f"typeof({column}) = 'integer'"
                    )
            for column in NOT_NEGATIVE.get(table, ()):
                batch.create_check_constraint(f"{column}_not_negative", f"{column} >= 0")
            for column in POSITIVE.get(table, ()):
                batch.create_check_constraint(f"{column}_positive", f"{column} > 0")
            if table == "orders":
                batch.drop_constraint(OLD_KEY[dialect], type_="unique")
                batch.create_unique_constraint(NEW_KEY, ["customer_id", "idempotency_key"])


def _repair_sqlite_reals() -> None:
    """Whole values SQLite kept as REAL (500.0) become integers; a cart line with a fractional
    quantity (written by the bug this closes) cannot be bought and is dropped. A fractional
    price or order amount stops the upgrade: it needs a person to decide."""
    for table, columns in WHOLE.items():
        for column in columns:
            op.execute(
                f"UPDATE {table} SET {column} = CAST({column} AS INTEGER) "
                f"WHERE typeof({column}) = 'real' AND {column} = CAST({column} AS INTEGER)"
            )
    op.execute("DELETE FROM cart_lines WHERE typeof(quantity) != 'integer'")
    bind = op.get_bind()
    for table, columns in WHOLE.items():
        for column in columns:
            bad = bind.exec_driver_sql(
                f"SELECT id FROM {table} WHERE typeof({column}) != 'integer' LIMIT 5"
            ).all()
            if bad:
                ids = ", ".join(str(row[0]) for row in bad)
                raise RuntimeError(
                    f"{table}.{column} holds fractional values (rows {ids}); correct them to "
                    "whole minor units before upgrading"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in ("order_lines", "orders", "cart_lines", "variants"):
        with op.batch_alter_table(
            table,
            naming_convention=NAMES,
            recreate="always" if dialect == "sqlite" else "auto",
        ) as batch:
            if table == "orders":
                batch.drop_constraint(NEW_KEY, type_="unique")
                batch.create_unique_constraint(OLD_KEY[dialect], ["idempotency_key"])
            for column in POSITIVE.get(table, ()):
                batch.drop_constraint(f"{column}_positive", type_="check")
            for column in NOT_NEGATIVE.get(table, ()):
                batch.drop_constraint(f"{column}_not_negative", type_="check")
            if dialect == "sqlite":
                for column in WHOLE[table]:
                    batch.drop_constraint(f"{column}_whole", type_="check")
