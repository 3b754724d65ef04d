"""Money is an integer count of minor units (cents) with an ISO 4217 currency code."""

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "KRW": "₩"}
ZERO_DECIMAL_CURRENCIES = frozenset({"KRW", "JPY"})


def format_money(minor: int, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    if currency in ZERO_DECIMAL_CURRENCIES:
        return f"{symbol}{minor:,}"
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{symbol}{whole:,}.{cents:02d}"
