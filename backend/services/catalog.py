"""From what a person said to a product: exact name or alias first, then fuzzy matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.errors import ProductNotFound, ProductUnavailable, UnknownVariant
from backend.persistence import catalog_rows
from backend.persistence.catalog_rows import ProductRow, VariantRow
from backend.persistence.models import Product
from backend.unit_of_work import UnitOfWork

# "oak milk" scores 87.5 against "oat milk": that close, a person would still ask back.
CONFIDENT_SCORE = 90.0
ACCEPT_SCORE = 75.0
SUGGEST_SCORE = 50.0
CLEAR_LEAD = 8.0
_FILLERS = frozenset({"a", "an", "the", "some", "of", "my", "please", "pack", "packs"})


@dataclass(frozen=True)
class ProductMatch:
    sku: str
    name: str
    score: float
    method: Literal["sku", "exact", "fuzzy"]


@dataclass(frozen=True)
class Resolution:
    spoken: str
    best: ProductMatch
    alternatives: tuple[ProductMatch, ...]

    @property
    def is_confident(self) -> bool:
        """False when the caller should ask back ("Did you mean oat milk or almond milk?")."""
        if self.best.method != "fuzzy":
            return True
        runner_up = self.alternatives[0].score if self.alternatives else 0.0
        return self.best.score >= CONFIDENT_SCORE and self.best.score - runner_up >= CLEAR_LEAD


def normalize(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(w for w in words if w not in _FILLERS)


def singular_forms(text: str) -> list[str]:
    """Cheap English plural folding for the last word: lattes→latte, berries→berry, boxes→box."""
    forms = [text]
    head, _, last = text.rpartition(" ")
    prefix = f"{head} " if head else ""
    if last.endswith("ies") and len(last) > 4:
        forms.append(prefix + last[:-3] + "y")
    if last.endswith("es") and len(last) > 3:
        forms.append(prefix + last[:-2])
    if last.endswith("s") and not last.endswith("ss") and len(last) > 2:
        forms.append(prefix + last[:-1])
    return forms


def _spoken_names(uow: UnitOfWork) -> dict[str, tuple[str, str]]:
    """Every normalized name and alias → (sku, display name)."""
    products = uow.session.scalars(select(Product).options(selectinload(Product.aliases)))
    names: dict[str, tuple[str, str]] = {}
    for product in products:
        names[normalize(product.name)] = (product.sku, product.name)
        for alias in product.aliases:
            names.setdefault(normalize(alias.alias), (product.sku, product.name))
    return names


def resolve_product(uow: UnitOfWork, spoken: str) -> Resolution:
    """Best product for `spoken`; raises ProductNotFound with suggestions when nothing is close."""
    names = _spoken_names(uow)
    wanted = normalize(spoken)
    by_sku = {sku: name for sku, name in names.values()}
    if spoken.strip().upper() in by_sku:
        sku = spoken.strip().upper()
        return Resolution(spoken, ProductMatch(sku, by_sku[sku], 100.0, "sku"), ())
    for form in singular_forms(wanted):
        if form in names:
            sku, name = names[form]
            return Resolution(spoken, ProductMatch(sku, name, 100.0, "exact"), ())

    best_per_sku: dict[str, ProductMatch] = {}
    for form in singular_forms(wanted) if wanted else []:
        for candidate, score, _ in process.extract(
            form, names.keys(), scorer=fuzz.token_sort_ratio, limit=10
        ):
            sku, name = names[candidate]
            if sku not in best_per_sku or score > best_per_sku[sku].score:
                best_per_sku[sku] = ProductMatch(sku, name, float(score), "fuzzy")
    ranked = sorted(best_per_sku.values(), key=lambda m: (-m.score, m.name))
    if not ranked or ranked[0].score < ACCEPT_SCORE:
        suggestions = [m.name for m in ranked if m.score >= SUGGEST_SCORE][:3]
        raise ProductNotFound(spoken, suggestions)
    return Resolution(spoken, ranked[0], tuple(ranked[1:4]))


def load_product(uow: UnitOfWork, sku: str) -> ProductRow:
    product = catalog_rows.product_by_sku(uow.connection, sku)
    if product is None:
        raise ProductNotFound(sku, [])
    return product


def pick_variant(product: ProductRow, variant: str | None) -> VariantRow:
    """The named variant (by code or name, forgiving plurals), else the default one."""
    if not variant:
        chosen = product.default_variant
    else:
        wanted = set(singular_forms(normalize(variant))) | {normalize(variant).replace(" ", "-")}
        matches = [
            v
            for v in product.variants
            if normalize(v.code) in wanted or normalize(v.name) in wanted
        ]
        if not matches:
            raise UnknownVariant(
                product.name,
                variant,
                [v.name for v in product.variants],
                sku=product.sku,
                codes=[v.code for v in product.variants],
            )
        chosen = matches[0]
    if not product.available:
        raise ProductUnavailable(product.name, product.unavailable_reason, sku=product.sku)
    if not chosen.available:
        raise ProductUnavailable(
            f"{chosen.name} {product.name}",
            None,
            sku=product.sku,
            variant=(chosen.code, chosen.name),
        )
    return chosen
