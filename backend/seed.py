"""Loads the demo catalog and the demo household. Running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.catalog_data import CatalogSpec, ProductSpec
from backend.persistence.models import (
    Cart,
    Customer,
    Device,
    DeviceKind,
    Fulfilment,
    Product,
    ProductAlias,
    Variant,
)
from backend.unit_of_work import UnitOfWork

DEMO_CUSTOMER = "Demo Household"
DEMO_STORE = "Corner Shop, 12 Main Street"
DEMO_DEVICES = (
    (DeviceKind.KIOSK, "kiosk-1"),
    (DeviceKind.SCREEN, "screen-1"),
)


@dataclass(frozen=True)
class SeedReport:
    products_added: int
    products_updated: int
    customer_created: bool


def seed(uow: UnitOfWork, catalog: CatalogSpec) -> SeedReport:
    with uow:
        existing = {
            p.sku: p
            for p in uow.session.scalars(
                select(Product).options(
                    selectinload(Product.variants), selectinload(Product.aliases)
                )
            )
        }
        added = updated = 0
        for spec in catalog.products:
            product = existing.get(spec.sku)
            if product is None:
                product = Product(sku=spec.sku)
                uow.session.add(product)
                added += 1
                _apply(uow, product, spec, catalog.currency)
            elif _apply(uow, product, spec, catalog.currency):
                updated += 1
        created = _seed_demo_customer(uow)
        uow.commit()
        return SeedReport(added, updated, created)


def _apply(uow: UnitOfWork, product: Product, spec: ProductSpec, currency: str) -> bool:
    """Makes the row match the spec; True when anything changed."""
    before = _fingerprint(product)
    product.name = spec.name
    product.category = spec.category
    product.currency = currency
    product.available = spec.available
    product.unavailable_reason = spec.unavailable_reason
    by_code = {v.code: v for v in product.variants}
    for position, vspec in enumerate(spec.variants):
        variant = by_code.get(vspec.code)
        if variant is None:
            variant = Variant(code=vspec.code)
            product.variants.append(variant)
        variant.name = vspec.name
        variant.position = position
        variant.price_minor = vspec.price_minor
        variant.available = vspec.available
    wanted_aliases = {a.lower() for a in spec.aliases}
    for alias in list(product.aliases):
        if alias.alias not in wanted_aliases:
            product.aliases.remove(alias)
    have = {a.alias for a in product.aliases}
    uow.session.flush()  # alias removals first, so a moved alias does not hit the unique index
    for alias_text in sorted(wanted_aliases - have):
        product.aliases.append(ProductAlias(alias=alias_text))
    return before != _fingerprint(product)


def _fingerprint(product: Product) -> tuple[object, ...]:
    if product.id is None:
        return ()
    return (
        product.name,
        product.category,
        product.currency,
        product.available,
        product.unavailable_reason,
        tuple((v.code, v.name, v.position, v.price_minor, v.available) for v in product.variants),
        tuple(sorted(a.alias for a in product.aliases)),
    )


def _seed_demo_customer(uow: UnitOfWork) -> bool:
    if uow.session.scalar(select(Device).where(Device.external_id == DEMO_DEVICES[0][1])):
        return False
    customer = Customer(name=DEMO_CUSTOMER, fulfilment=Fulfilment.PICKUP, pickup_store=DEMO_STORE)
    uow.session.add(customer)
    uow.session.flush()
    uow.session.add(Cart(customer_id=customer.id))
    for kind, external_id in DEMO_DEVICES:
        uow.session.add(Device(customer_id=customer.id, kind=kind, external_id=external_id))
    return True
