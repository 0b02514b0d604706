"""The API's router: ids in URLs are integers (Django's `int` path converter), so
`/stock-ins/abc/post/` is a 404 (it reached `int()` in the view and answered 500) while
`/stock-ins/12/post/` routes as before; the schema still types the ids as integers."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    include_format_suffixes = False  # no `.json` URL variants: the API is JSON

    def __init__(self, trailing_slash: bool = True) -> None:
        super().__init__(trailing_slash=trailing_slash, use_regex_path=False)
        self._default_value_pattern = "int"
