"""Match a transcript to the intent whose sample it resembles most, and fill its slots.

Each sample is a template of literal words and typed slot holes. For a transcript we
1. normalise it like the samples (case, punctuation, fillers, "alexa ask <invocation> to");
2. find every span that some slot type can resolve (exact, plural-folded or fuzzy);
3. score templates: the F-measure of template elements found (recall) against transcript
   words explained (precision), each weighted by its match quality, times a small penalty
   for elements spoken out of order. Word order is tolerated because words are looked up
   as a bag; the order penalty only breaks ties in favour of the template as written.
Templates are tried best upper bound first, so a few thousand slot values and a few hundred
samples stay within a few milliseconds.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from rapidfuzz import fuzz, process

from voice_local.nlu.interaction_model import InteractionModel, Slot
from voice_local.nlu.locales import locale_table
from voice_local.nlu.numbers import is_number_word, parse_number
from voice_local.nlu.slot_values import (
    CatalogResolver,
    FreeFormResolver,
    NumberResolver,
    SlotResolution,
    SlotResolver,
    resolver_for,
)
from voice_local.nlu.templates import Hole, Template, compile_templates
from voice_local.nlu.text import remove_phrases, split_suffixes, strip_addressing, tokenize

FALLBACK_INTENT = "AMAZON.FallbackIntent"

_LITERAL_CUTOFF = 80.0
# Out-of-order speech keeps most of its score: "to my cart add two oat milks" is still clear.
_ORDER_WEIGHT = 0.1
_CANDIDATES_PER_HOLE = 5
_CANDIDATES_PER_REPEATED_HOLE = 10
# F-beta: 1 weighs explaining every spoken word (precision) and saying every sample word
# (recall) alike. Measured with bench/nlu_accuracy.py, 0.75 lost more misheard phrases to
# the fallback than it won; ties are broken by precision instead (see _Scored.rank).
_BETA = 1.0
_CACHE_LIMIT = 50_000
# Plural folding and respacing ("oatmilk") still count as hearing the value itself.
_EXACT_SCORE = 0.98
_UNLIKELY_COUNT = 0.9
# A value heard outside the sample's holes ("could I have a *large* cappuccino" against
# "could I have {product}") still fills its intent's slot, but counts a little less than a hole
# the sample names, so the sample that lists it wins a tie.
_EXTRA_WEIGHT = 0.8
# Slots of a second and third item ("secondProduct") follow the first item's names.
_ITEM_ORDINALS = ("second", "third")
_ITEM_HEAD = "product"


@dataclass(frozen=True)
class ResolvedSlot:
    name: str
    spoken: str
    value: str  # canonical value name, or the number as digits
    id: str | None  # the value's id (for products: the SKU); None for numbers
    # Heard as a listed value or synonym (plurals and spacing aside), not a near miss.
    exact: bool = True


@dataclass(frozen=True)
class IntentMatch:
    intent: str
    slots: Mapping[str, ResolvedSlot] = field(hash=False)
    confidence: float
    transcript: str
    sample: str | None  # the template that matched best


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    resolution: SlotResolution

    @property
    def weight(self) -> float:
        return (self.end - self.start) * self.resolution.score


@dataclass(frozen=True)
class _Scored:
    confidence: float
    precision: float
    template: Template
    spans: tuple[_Span | None, ...]
    # Values heard outside the template's holes, for the intent's other slots.
    extras: tuple[tuple[Hole, _Span], ...] = ()

    @property
    def rank(self) -> tuple[float, float]:
        # On equal scores the template explaining more of what was said wins: for
        # "delete oat milk", "delete {product}" beats "{product} please".
        return round(self.confidence, 6), self.precision


class IntentMatcher:
    def __init__(self, model: InteractionModel, *, threshold: float = 0.6) -> None:
        self._model = model
        self._threshold = threshold
        self._table = locale_table(model.locale)
        self._templates = compile_templates(model, self._table)
        self._literal_counts = [Counter(template.literals) for template in self._templates]
        self._literal_vocabulary = sorted(
            {word for template in self._templates for word in template.literals}
        )
        self._literal_set = frozenset(self._literal_vocabulary)
        slots_of = {intent.name: intent.slots for intent in model.intents}
        self._slot_names = {
            name: tuple(slot.name for slot in slots) for name, slots in slots_of.items()
        }
        self._spare = [
            _spare_holes(template, slots_of.get(template.intent, ()))
            for template in self._templates
        ]
        type_names = {hole.type for template in self._templates for hole in template.holes}
        type_names |= {hole.type for spare in self._spare for hole in spare}
        self._resolvers: dict[str, SlotResolver] = {
            name: resolver_for(name, model, self._table) for name in sorted(type_names)
        }
        self._catalog_types = frozenset(
            name for name, resolver in self._resolvers.items()
            if isinstance(resolver, CatalogResolver)
        )
        free_form = {
            name for name, resolver in self._resolvers.items()
            if isinstance(resolver, FreeFormResolver)
        }
        self._spare = [
            tuple(hole for hole in spare if hole.type not in free_form) for spare in self._spare
        ]
        self._fillers = [tokenize(filler) for filler in self._table.fillers]
        self._invocation = tokenize(model.invocation_name)
        self._literal_cache: dict[str, tuple[str, float] | None] = {}
        self._knowing_cache: dict[str, frozenset[str]] = {}

    @property
    def model(self) -> InteractionModel:
        return self._model

    def match(self, transcript: str) -> IntentMatch:
        tokens = self.normalize(transcript)
        if not tokens:
            return IntentMatch(FALLBACK_INTENT, MappingProxyType({}), 0.0, transcript, None)
        best = self._best(tokens)
        confidence = 0.0 if best is None else round(best.confidence, 4)
        if best is None or confidence < self._threshold:
            answer = self._table.answer_words.get(tokens[0])
            if answer is not None and len(tokens) > 1:
                # A yes or no said first, then words the model does not know: the answer stands,
                # as a cashier hears it, but no surer than the threshold.
                return IntentMatch(
                    answer, MappingProxyType({}), self._threshold, transcript, tokens[0]
                )
            return IntentMatch(FALLBACK_INTENT, MappingProxyType({}), confidence, transcript, None)
        filled = [
            (hole, span)
            for hole, span in zip(best.template.holes, best.spans, strict=True)
            if span is not None
        ]
        filled = _regroup_items(
            filled, best.extras, self._slot_names.get(best.template.intent, ()),
            counts_follow=self._table.counts_follow_item,
        )
        slots = {
            hole.slot: ResolvedSlot(
                name=hole.slot,
                spoken=" ".join(tokens[span.start: span.end]),
                value=span.resolution.value,
                id=span.resolution.id,
                exact=span.resolution.score >= _EXACT_SCORE,
            )
            for hole, span in filled
        }
        return IntentMatch(
            intent=best.template.intent,
            slots=MappingProxyType(slots),
            confidence=confidence,
            transcript=transcript,
            sample=best.template.sample,
        )

    def normalize(self, transcript: str) -> list[str]:
        """The transcript's words as the templates see them."""
        tokens = tokenize(transcript)
        tokens = strip_addressing(
            tokens, wake_words=self._table.wake_words, launch_verbs=self._table.launch_verbs,
            invocation=self._invocation,
        )
        tokens = remove_phrases(tokens, self._fillers)
        while len(tokens) > 1 and tokens[0] in self._table.leading_fillers:
            tokens = tokens[1:]
        if self._table.suffixes:
            tokens = split_suffixes(tokens, self._table.suffixes, self._is_known)
            tokens = self._respace(tokens)
        return tokens

    # --- vocabulary ----------------------------------------------------------------------

    def _is_digit_word(self, token: str) -> bool:
        value = parse_number((token,), self._model.locale)
        return value is not None and value < 10

    def _is_known(self, token: str) -> bool:
        return (
            token in self._literal_set
            or any(resolver.knows(token) for resolver in self._resolvers.values())
            or is_number_word(token, self._model.locale)
        )

    def _types_knowing(self, token: str) -> frozenset[str]:
        """Slot types with `token` in a value; '' stands for sample words and numbers."""
        cached = self._knowing_cache.get(token)
        if cached is not None:
            return cached
        names = {name for name, resolver in self._resolvers.items() if resolver.knows(token)}
        if self._table.aliases.get(token, token) in self._literal_set or is_number_word(
            token, self._model.locale
        ):
            names.add("")
        result = frozenset(names)
        if len(self._knowing_cache) < _CACHE_LIMIT:
            self._knowing_cache[token] = result
        return result

    def _respace(self, tokens: list[str]) -> list[str]:
        """Languages with loose spacing ('담아 줘' / '담아줘'): join or split to known words."""
        result: list[str] = []
        for token in tokens:
            if result and not (self._is_known(result[-1]) and self._is_known(token)):
                joined = result[-1] + token
                if joined in self._literal_set:
                    result[-1] = joined
                    continue
            if not self._is_known(token):
                for cut in range(1, len(token)):
                    if token[:cut] in self._literal_set and token[cut:] in self._literal_set:
                        result.extend((token[:cut], token[cut:]))
                        break
                else:
                    result.append(token)
                continue
            result.append(token)
        return result

    def _literal(self, token: str) -> tuple[str, float] | None:
        """The template word a transcript word stands for, with the similarity (1 = same)."""
        token = self._table.aliases.get(token, token)
        if token in self._literal_set:
            return token, 1.0
        if token in self._literal_cache:
            return self._literal_cache[token]
        found = None
        if len(token) >= self._table.min_fuzzy_length:
            best = process.extractOne(
                token, self._literal_vocabulary, scorer=fuzz.ratio, score_cutoff=_LITERAL_CUTOFF
            )
            if best is not None:
                found = (best[0], best[1] / 100)
        if len(self._literal_cache) < _CACHE_LIMIT:
            self._literal_cache[token] = found
        return found

    # --- scoring -------------------------------------------------------------------------

    def _best(self, tokens: list[str]) -> _Scored | None:
        literals = [self._literal(token) for token in tokens]
        positions: dict[str, list[int]] = {}
        for position, literal in enumerate(literals):
            if literal is not None:
                positions.setdefault(literal[0], []).append(position)
        available = Counter({word: len(found) for word, found in positions.items()})
        known_by = [self._types_knowing(token) for token in tokens]
        spans = {name: self._spans(tokens, name, known_by) for name in self._resolvers}
        widest = {name: max((span.end - span.start for span in found), default=0)
                  for name, found in spans.items()}
        exact = {
            name: [span for span in found if span.resolution.score >= _EXACT_SCORE]
            for name, found in spans.items()
        }
        widest_exact = {name: max((span.end - span.start for span in found), default=0)
                        for name, found in exact.items()}
        bounds = sorted(
            (
                (
                    self._upper_bound(
                        template, counts, available, spans, widest, len(tokens),
                        sum(widest_exact[hole.type] for hole in spare) * _EXTRA_WEIGHT,
                    ),
                    index,
                )
                for index, (template, counts, spare) in enumerate(
                    zip(self._templates, self._literal_counts, self._spare, strict=True)
                )
            ),
            key=lambda item: (-item[0], item[1]),
        )
        best: _Scored | None = None
        for bound, index in bounds:
            if best is not None and (
                bound < best.confidence - 1e-9
                or (bound <= best.confidence + 1e-9 and best.precision >= 1 - 1e-9)
            ):
                break
            scored = self._score(
                self._templates[index], tokens, literals, positions, spans,
                [(hole, exact[hole.type]) for hole in self._spare[index]],
            )
            if scored is not None and (best is None or scored.rank > best.rank):
                best = scored
        return best

    def _spans(
        self, tokens: list[str], type_name: str, known_by: list[frozenset[str]]
    ) -> list[_Span]:
        resolver = self._resolvers[type_name]
        # A word the model knows exactly as something else ("four", a number) is not a
        # misheard value of this type ("flour"); only unknown words may be fuzzy.
        foreign = [bool(known) and type_name not in known for known in known_by]
        # Free-form types would swallow the sample's own words; let them take only the rest.
        closed = [isinstance(resolver, FreeFormResolver) and "" in known for known in known_by]
        counting = type(resolver) is NumberResolver
        catalog_types = self._catalog_types
        found: list[_Span] = []
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + resolver.max_tokens + 1) + 1):
                if closed[end - 1]:
                    break
                words = tuple(tokens[start:end])
                resolution = resolver.resolve(words, fuzzy=not any(foreign[start:end]))
                if resolution is None:
                    continue
                if counting and end - start > 1 and (
                    any(known_by[i] & catalog_types for i in range(start, end))
                    or all(self._is_digit_word(token) for token in words)
                ):
                    # "a dozen", "half a dozen": a pack the catalog sells (UNIT) before a count;
                    # "three four four eight" is a code read digit by digit, not 3,448 items.
                    resolution = replace(resolution, score=resolution.score * _UNLIKELY_COUNT)
                found.append(_Span(start, end, resolution))
        if type_name in catalog_types:
            found = _without_swallowed_values(found)
        found.sort(key=lambda span: (-span.weight, span.start))
        return found

    @staticmethod
    def _upper_bound(
        template: Template,
        counts: Counter[str],
        available: Counter[str],
        spans: dict[str, list[_Span]],
        widest: dict[str, int],
        length: int,
        spare_cover: float,
    ) -> float:
        found = sum(min(count, available[word]) for word, count in counts.items())
        holes = template.holes
        fillable = sum(1 for hole in holes if spans[hole.type])
        covered = found + sum(widest[hole.type] for hole in holes) + spare_cover
        recall = (found + fillable) / (len(template.elements))
        precision = min(1.0, covered / length)
        return _f_measure(precision, recall)

    def _score(
        self,
        template: Template,
        tokens: list[str],
        literals: list[tuple[str, float] | None],
        positions: dict[str, list[int]],
        spans: dict[str, list[_Span]],
        spare: list[tuple[Hole, list[_Span]]],
    ) -> _Scored | None:
        holes = template.holes
        repeated = Counter(hole.type for hole in holes)
        options = [
            [*_candidates(spans[hole.type], repeated[hole.type] > 1), None] for hole in holes
        ]
        best: _Scored | None = None
        for choice in _disjoint_choices(options, [hole.type for hole in holes]):
            covered = {i for span in choice if span for i in range(span.start, span.end)}
            fit = self._fit(template, choice, covered, literals, positions)
            extras = _extras(spare, covered | fit.used) if spare else ()
            extra_cover = _EXTRA_WEIGHT * sum(span.weight for _, span in extras)
            precision = (fit.literal_score + fit.span_cover + extra_cover) / len(tokens)
            # A sample that needs extras is one that lacks those holes: it does not beat a
            # sample that has them.
            recall = fit.recall * len(template.elements) / (len(template.elements) + len(extras))
            confidence = _f_measure(precision, recall) * fit.order_factor
            scored = _Scored(confidence, precision, template, choice, extras)
            if best is None or scored.rank > best.rank:
                best = scored
        return best

    @staticmethod
    def _fit(
        template: Template,
        choice: tuple[_Span | None, ...],
        covered: set[int],
        literals: list[tuple[str, float] | None],
        positions: dict[str, list[int]],
    ) -> _Fit:
        """How the template's words and this choice of slot spans fit what was said."""
        used: set[int] = set()
        placed: list[tuple[int, int]] = []  # (transcript position, template element index)
        literal_score = 0.0
        hole_index = 0
        last = -1
        for element_index, element in enumerate(template.elements):
            if isinstance(element, Hole):
                span = choice[hole_index]
                hole_index += 1
                if span is not None:
                    placed.append((span.start, element_index))
                    last = span.end - 1
                continue
            candidates = [p for p in positions.get(element, ()) if p not in covered and
                          p not in used]
            if not candidates:
                continue
            # Prefer the occurrence after the previous element, keeping the template order.
            after = bisect_left(candidates, last + 1)
            position = candidates[after] if after < len(candidates) else candidates[0]
            used.add(position)
            last = position
            literal_score += literals[position][1]  # type: ignore[index]
            placed.append((position, element_index))
        hole_score = sum(span.resolution.score for span in choice if span is not None)
        placed.sort()
        in_order = _longest_increasing([element for _, element in placed])
        order = in_order / len(placed) if placed else 1.0
        return _Fit(
            literal_score=literal_score,
            span_cover=sum(span.weight for span in choice if span is not None),
            recall=(literal_score + hole_score) / len(template.elements),
            order_factor=1 - _ORDER_WEIGHT + _ORDER_WEIGHT * order,
            used=frozenset(used),
        )


def _spare_holes(template: Template, slots: tuple[Slot, ...]) -> tuple[Hole, ...]:
    """The intent's slots this sample does not name."""
    named = {hole.slot for hole in template.holes}
    return tuple(Hole(slot.name, slot.type) for slot in slots if slot.name not in named)


def _without_swallowed_values(found: list[_Span]) -> list[_Span]:
    """Drop near misses made of a value heard exactly plus other words: "hot chocolate a brownie"
    is two products, not a misheard brownie (while "oak milk" stays a near oat milk)."""
    exact = [span for span in found if span.resolution.score >= _EXACT_SCORE]
    return [
        span for span in found
        if span.resolution.score >= _EXACT_SCORE or not any(
            span.start <= inner.start and inner.end <= span.end
            and inner.resolution.value == span.resolution.value
            for inner in exact
        )
    ]


@dataclass(frozen=True)
class _Fit:
    literal_score: float  # sum of the similarities of the template words heard
    span_cover: float  # transcript words explained by the holes, weighted by match quality
    recall: float
    order_factor: float
    used: frozenset[int]  # transcript positions taken by template words


def _extras(
    spare: list[tuple[Hole, list[_Span]]], taken: set[int]
) -> tuple[tuple[Hole, _Span], ...]:
    """Exact values among the words nothing else explains, one per spare slot, widest first."""
    found: list[tuple[Hole, _Span]] = []
    blocked = set(taken)
    for hole, spans in spare:
        for span in spans:  # widest first (see _spans)
            if span.end - span.start == 1 and len(span.resolution.value) == 1 and (
                not span.resolution.value.isdigit()
            ):
                continue  # a lone letter is more likely "I" or "a" than an order letter
            if blocked.isdisjoint(range(span.start, span.end)):
                found.append((hole, span))
                blocked.update(range(span.start, span.end))
                break
    return tuple(found)


def _regroup_items(
    template: list[tuple[Hole, _Span]],
    extras: tuple[tuple[Hole, _Span], ...],
    slot_names: tuple[str, ...],
    *,
    counts_follow: bool,
) -> list[tuple[Hole, _Span]]:
    """Where values were heard outside the sample's holes, give each item's quantity and size to
    the product it stands next to, and number the items in the order they were said: "a medium
    hot chocolate a brownie and a bottle of water" needs no sample of that shape."""
    items = [
        name for name in (_ITEM_HEAD, *(f"{o}{_ITEM_HEAD.capitalize()}" for o in _ITEM_ORDINALS))
        if name in slot_names
    ]
    if not extras or len(items) < 2:
        return [*template, *extras]
    filled = [*template, *extras]
    heads = sorted(
        (span for hole, span in filled if _item_base(hole.slot) == _ITEM_HEAD),
        key=lambda span: span.start,
    )
    if not heads or len(heads) > len(items):
        return filled
    # Which side of its product a quantity or size stands: as the sample has it, else as the
    # language usually has it ("two large lattes", "바나나 일곱 봉지").
    head_of_group = {_item_group(hole.slot): span for hole, span in template
                     if _item_base(hole.slot) == _ITEM_HEAD}
    follows: dict[str, bool] = {}
    for hole, span in template:
        head = head_of_group.get(_item_group(hole.slot))
        if head is not None and head is not span:
            follows.setdefault(_item_base(hole.slot), span.start > head.start)
    groups: list[dict[str, tuple[Hole, _Span]]] = [{} for _ in heads]
    others: list[tuple[Hole, _Span]] = []
    for hole, span in filled:
        base = _item_base(hole.slot)
        if hole.slot not in slot_names or base == _ITEM_HEAD:
            continue
        if not any(f"{o}{base.capitalize()}" in slot_names for o in _ITEM_ORDINALS):
            others.append((hole, span))
            continue
        if follows.get(base, counts_follow):
            index = max((i for i, head in enumerate(heads) if head.start < span.start), default=0)
        else:
            index = min(
                (i for i, head in enumerate(heads) if head.start > span.start),
                default=len(heads) - 1,
            )
        held = groups[index].get(base)
        if held is None or abs(span.start - heads[index].start) < abs(
            held[1].start - heads[index].start
        ):
            groups[index][base] = (hole, span)
    head_type = next(hole.type for hole, _ in filled if _item_base(hole.slot) == _ITEM_HEAD)
    regrouped = list(others)
    for ordinal, (head, group) in enumerate(zip(heads, groups, strict=True)):
        prefix = "" if ordinal == 0 else _ITEM_ORDINALS[ordinal - 1]

        def named(base: str, prefix: str = prefix) -> str:
            return f"{prefix}{base.capitalize()}" if prefix else base

        regrouped.append((Hole(named(_ITEM_HEAD), head_type), head))
        regrouped.extend(
            (Hole(named(base), hole.type), span) for base, (hole, span) in group.items()
        )
    return regrouped


def _item_parts(slot: str) -> tuple[str, str]:
    """'secondUnit' → ('second', 'unit'); 'unit' → ('', 'unit')."""
    for ordinal in _ITEM_ORDINALS:
        rest = slot[len(ordinal):]
        if slot.startswith(ordinal) and rest[:1].isupper():
            return ordinal, rest[0].lower() + rest[1:]
    return "", slot


def _item_group(slot: str) -> str:
    return _item_parts(slot)[0]


def _item_base(slot: str) -> str:
    return _item_parts(slot)[1]


def _candidates(found: list[_Span], several_holes: bool) -> list[_Span]:
    """The spans worth trying in a hole. Where a template has several holes of one type
    ("{product} and {secondProduct}"), the widest spans would all sit on the first item, so each
    start position keeps its best span instead."""
    widest = found[:_CANDIDATES_PER_HOLE]
    if not several_holes:
        return widest
    # Per start, the surest span: a fuzzy one swallowing "a" or "and" weighs more but is worse.
    surest: dict[int, _Span] = {}
    for span in found:
        held = surest.get(span.start)
        if held is None or (span.resolution.score, span.end) > (held.resolution.score, held.end):
            surest[span.start] = span
    chosen = list(widest)
    for span in sorted(surest.values(), key=lambda span: (-span.resolution.score, -span.weight)):
        if len(chosen) >= _CANDIDATES_PER_REPEATED_HOLE:
            break
        if span not in chosen:
            chosen.append(span)
    return chosen


def _disjoint_choices(
    options: list[list[_Span | None]], types: list[str]
) -> Iterator[tuple[_Span | None, ...]]:
    """Every choice of one option per hole whose spans do not overlap and whose holes of one
    type ("{product} … {secondProduct}") keep their order, pruned as it goes."""
    chosen: list[_Span | None] = []
    taken: set[int] = set()
    last_start: dict[str, int] = {}

    def extend(index: int) -> Iterator[tuple[_Span | None, ...]]:
        if index == len(options):
            yield tuple(chosen)
            return
        kind = types[index]
        before = last_start.get(kind, -1)
        for span in options[index]:
            if span is not None and (
                span.start <= before or not taken.isdisjoint(range(span.start, span.end))
            ):
                continue
            cells = range(span.start, span.end) if span is not None else range(0)
            chosen.append(span)
            taken.update(cells)
            if span is not None:
                last_start[kind] = span.start
            yield from extend(index + 1)
            if span is not None:
                last_start[kind] = before
            taken.difference_update(cells)
            chosen.pop()

    return extend(0)


def _f_measure(precision: float, recall: float) -> float:
    if precision <= 0 or recall <= 0:
        return 0.0
    weight = _BETA * _BETA
    return (1 + weight) * precision * recall / (weight * precision + recall)


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        index = bisect_left(tails, value)
        if index == len(tails):
            tails.append(value)
        else:
            tails[index] = value
    return len(tails)
