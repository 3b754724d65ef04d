"""What the kiosk itself says and shows (the skill's answers have their own strings).

One small table per locale; a missing locale falls back to en-US.
"""

from __future__ import annotations

KIOSK_STRINGS: dict[str, dict[str, str]] = {
    "en-US": {
        # Asked before a cart change heard with low confidence reaches the skill.
        "confirm_add": "Did you say add {what}?",
        "confirm_remove": "Did you say remove {what}?",
        "change_dropped": "OK, I left your cart as it was. What would you like?",
        # Spoken when staff move an order on; the display text goes to the kiosk's screen.
        "ready_spoken": "Order {number} is ready for pickup.",
        "ready_shown": "Order {number} is ready for pickup",
        "out_for_delivery_spoken": "Order {number} is on its way.",
        "out_for_delivery_shown": "Order {number} is on its way",
    },
    "ko-KR": {
        "confirm_add": "{what} 담을까요?",
        "confirm_remove": "{what} 뺄까요?",
        "change_dropped": "알겠어요, 장바구니는 그대로예요. 무엇을 드릴까요?",
        "ready_spoken": "주문 {number} 준비됐어요. 가져가세요.",
        "ready_shown": "주문 {number} 준비 완료",
        "out_for_delivery_spoken": "주문 {number} 배달 출발했어요.",
        "out_for_delivery_shown": "주문 {number} 배달 중",
    },
}


def kiosk_text(locale: str, key: str, **values: object) -> str:
    strings = KIOSK_STRINGS.get(locale, KIOSK_STRINGS["en-US"])
    return strings.get(key, KIOSK_STRINGS["en-US"][key]).format(**values)
