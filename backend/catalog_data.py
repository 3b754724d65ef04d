"""The demo catalog as plain values, read from ``backend/data/catalog.json`` and validated.

Pure Python on purpose: the seeder, the interaction-model build and tests all read the catalog
without a database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CATALOG_PATH: Path = Path(__file__).resolve().parent / "data" / "catalog.json"

_SKU = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_VARIANT_CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_CURRENCY = re.compile(r"[A-Z]{3}")

_CATALOG_KEYS = frozenset({"currency", "products"})
_PRODUCT_KEYS = frozenset(
    {"sku", "name", "category", "aliases", "available", "unavailable_reason", "variants"}
)
_VARIANT_KEYS = frozenset({"code", "name", "price_minor", "available"})


@dataclass(frozen=True)
class VariantSpec:
    code: str
    name: str
    price_minor: int
    available: bool = True


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str
    aliases: tuple[str, ...]
    variants: tuple[VariantSpec, ...]
    available: bool = True
    unavailable_reason: str | None = None

    @property
    def default_variant(self) -> VariantSpec:
        return self.variants[0]


@dataclass(frozen=True)
class CatalogSpec:
    currency: str
    products: tuple[ProductSpec, ...]

    def product(self, sku: str) -> ProductSpec:
        for product in self.products:
            if product.sku == sku:
                return product
        raise KeyError(sku)


class CatalogFileError(ValueError):
    """The catalog file cannot be used; ``problems`` lists every reason, one line each."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"catalog file {path} is invalid:\n{lines}")


def _spoken_key(text: str) -> str:
    """How two spoken forms are compared: case and spacing do not tell them apart."""
    return " ".join(text.casefold().split())


def load_catalog(path: Path | None = None) -> CatalogSpec:
    path = DEFAULT_CATALOG_PATH if path is None else Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogFileError(path, [f"cannot read it: {exc.strerror or exc}"]) from exc
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            path, [f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]
        ) from exc
    problems: list[str] = []
    catalog = _parse_catalog(raw, problems)
    if problems or catalog is None:
        raise CatalogFileError(path, problems)
    return catalog


def _parse_catalog(raw: Any, problems: list[str]) -> CatalogSpec | None:
    if not isinstance(raw, dict):
        problems.append("the top level must be an object with 'currency' and 'products'")
        return None
    _unknown_keys(raw, _CATALOG_KEYS, "the catalog", problems)
    currency = raw.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        problems.append(
            f"currency {currency!r} is not an ISO 4217 code (three capital letters, e.g. 'USD')"
        )
    raw_products = raw.get("products")
    if not isinstance(raw_products, list) or not raw_products:
        problems.append("'products' must be a non-empty list")
        return None

    products = [_parse_product(i, p, problems) for i, p in enumerate(raw_products)]
    parsed = [p for p in products if p is not None]
    _check_unique_skus(raw_products, problems)
    _check_unambiguous_spoken_forms(parsed, problems)
    if problems:
        return None
    return CatalogSpec(currency=str(currency), products=tuple(parsed))


def _parse_product(index: int, raw: Any, problems: list[str]) -> ProductSpec | None:
    where = f"product #{index + 1}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    sku = raw.get("sku")
    if isinstance(sku, str) and sku:
        where = f"product {sku}"
    before = len(problems)
    _unknown_keys(raw, _PRODUCT_KEYS, where, problems)
    if not isinstance(sku, str) or not _SKU.fullmatch(sku):
        problems.append(f"{where}: sku {sku!r} must be capital letters, digits and dashes")
    name = _text(raw, "name", where, problems)
    category = _text(raw, "category", where, problems)
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{where}: aliases must be a list of non-empty strings")
        aliases = []
    available = raw.get("available", True)
    if not isinstance(available, bool):
        problems.append(f"{where}: available must be true or false, not {available!r}")
    reason = raw.get("unavailable_reason")
    if reason is not None and not (isinstance(reason, str) and reason.strip()):
        problems.append(f"{where}: unavailable_reason must be null or a non-empty string")
    variants = _parse_variants(raw.get("variants"), where, problems)
    if len(problems) > before:
        return None
    return ProductSpec(
        sku=str(sku),
        name=str(name),
        category=str(category),
        aliases=tuple(aliases),
        variants=variants,
        available=bool(available),
        unavailable_reason=reason,
    )


def _parse_variants(raw: Any, where: str, problems: list[str]) -> tuple[VariantSpec, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: has no variants (every product needs at least one)")
        return ()
    variants: list[VariantSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{where}, variant #{i + 1}"
        if not isinstance(item, dict):
            problems.append(f"{at}: must be an object")
            continue
        code = item.get("code")
        if isinstance(code, str) and code:
            at = f"{where}, variant '{code}'"
        _unknown_keys(item, _VARIANT_KEYS, at, problems)
        if not isinstance(code, str) or not _VARIANT_CODE.fullmatch(code):
            problems.append(f"{at}: code {code!r} must be lowercase words joined by dashes")
            continue
        if code in seen:
            problems.append(f"{where}: variant code '{code}' is used twice")
            continue
        seen.add(code)
        name = _text(item, "name", at, problems)
        price = item.get("price_minor")
        # bool is an int in Python; a price of `true` is a typo, not one cent.
        if not isinstance(price, int) or isinstance(price, bool) or price <= 0:
            problems.append(
                f"{at}: price_minor {price!r} must be a positive whole number of minor units"
            )
            continue
        available = item.get("available", True)
        if not isinstance(available, bool):
            problems.append(f"{at}: available must be true or false, not {available!r}")
            continue
        if name is not None:
            variants.append(VariantSpec(code, name, price, available))
    return tuple(variants)


def _check_unique_skus(raw_products: list[Any], problems: list[str]) -> None:
    # On the raw entries, so a duplicate is reported even when one of the pair is broken too.
    seen: set[str] = set()
    for raw in raw_products:
        sku = raw.get("sku") if isinstance(raw, dict) else None
        if not isinstance(sku, str):
            continue
        if sku in seen:
            problems.append(f"product {sku}: duplicate SKU")
        seen.add(sku)


def _check_unambiguous_spoken_forms(products: list[ProductSpec], problems: list[str]) -> None:
    """A name or alias must lead to exactly one product, or voice ordering cannot resolve it."""
    owner: dict[str, str] = {}
    for product in products:
        mine: set[str] = set()
        for form in _spoken_forms(product):
            key = _spoken_key(form)
            if key in mine:
                problems.append(f"product {product.sku}: '{form}' is listed twice")
                continue
            mine.add(key)
            other = owner.get(key)
            if other is not None and other != product.sku:
                problems.append(
                    f"product {product.sku}: alias '{form}' is ambiguous: "
                    f"it is also a name or alias of {other}"
                )
            else:
                owner[key] = product.sku


def _spoken_forms(product: ProductSpec) -> Iterator[str]:
    yield product.name
    yield from product.aliases


def _text(raw: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str | None:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {key} must be a non-empty string, not {value!r}")
        return None
    return value


def _unknown_keys(
    raw: Mapping[str, Any], allowed: frozenset[str], where: str, problems: list[str]
) -> None:
    for key in sorted(set(raw) - allowed):
        problems.append(f"{where}: unknown field '{key}' (expected one of {sorted(allowed)})")
