"""The sign shown before an amount in the company's currency (ISO 4217 code)."""

from __future__ import annotations

# The currencies a store chain in the region is likely to keep its books in; any other code is
# shown as the code itself ("CHF 12.50"), which is never wrong.
SIGNS = {
    "CNY": "¥",
    "JPY": "¥",
    "HKD": "HK$",
    "MOP": "MOP$",
    "TWD": "NT$",
    "SGD": "S$",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "KRW": "₩",
    "AUD": "A$",
    "CAD": "CA$",
    "INR": "₹",
    "THB": "฿",
    "VND": "₫",
    "PHP": "₱",
    "MYR": "RM",
}


def currency_sign(code: str) -> str:
    """'¥' for CNY; an unknown code is its own sign, followed by a space."""
    return SIGNS.get(code.upper(), f"{code.upper()} ")


def company_currency_sign() -> str:
    from storeledger.org.models import Company

    return currency_sign(Company.current().currency)
