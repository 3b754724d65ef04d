"""Short order numbers that are easy to say: A-417.

Derived from the order's database id, so they are unique without a retry loop: 900 numbers per
letter, letters that are hard to tell apart by ear or eye (I, O, Q) left out, and a second letter
once the single letters run out.
"""

import re

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
PER_LETTER = 900
# fullmatch, ASCII digits only: `$` would also accept a trailing newline.
_SPOKEN = re.compile(r"\s*([A-Za-z]{1,2})[\s\-]*([0-9]{3})\s*")


def order_number(order_id: int) -> str:
    index = order_id - 1
    digits = 100 + index % PER_LETTER
    block = index // PER_LETTER
    prefix = LETTERS[block % len(LETTERS)]
    block //= len(LETTERS)
    while block:
        block -= 1
        prefix = LETTERS[block % len(LETTERS)] + prefix
        block //= len(LETTERS)
    return f"{prefix}-{digits}"


def parse_order_number(text: str) -> str | None:
    """'a417', 'A 417', 'a-417' → 'A-417'; None when it is not an order number."""
    match = _SPOKEN.fullmatch(text)
    if not match:
        return None
    return f"{match.group(1).upper()}-{match.group(2)}"
