"""Pinyin initials for search: 可口可乐 -> "kkkl"."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default", strict=False)
    return "".join(
        part[:1] if part and part[0].isascii() and part[0].isalnum() else "" for part in letters
    ).lower()


def full_pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="default")).lower().replace(" ", "")
