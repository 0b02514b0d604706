"""Every report endpoint, from its URL patterns: a PDF export without any filter, and a filter
naming an id of nothing (a 400 naming the filter, not an empty report) or a warehouse outside
the user's scope (a 403, whether it exists or not)."""

import pytest
from django.urls import URLPattern, get_resolver

from storeledger.reports.api import _FILTER_LABELS, QueryView

pytestmark = pytest.mark.django_db

MISSING = 999_999_999


def _report_views() -> list[tuple[str, type[QueryView]]]:
    found = []
    for pattern in get_resolver().url_patterns:
        for inner in _walk(pattern, ""):
            route, view = inner
            reports = route.startswith("api/v1/reports/") and isinstance(view, type)
            if reports and issubclass(view, QueryView):
                found.append((f"/{route}", view))
    return sorted(found, key=lambda item: item[0])


def _walk(pattern, prefix: str):
    if isinstance(pattern, URLPattern):
        view = getattr(pattern.callback, "view_class", None)
        yield prefix + str(pattern.pattern), view
    else:
        for inner in pattern.url_patterns:
            yield from _walk(inner, prefix + str(pattern.pattern))


REPORTS = _report_views()
EXPORTS = [(url, view) for url, view in REPORTS if url.endswith("/export/")]


def test_the_reports_are_found():
    urls = [url for url, _view in REPORTS]
    assert "/api/v1/reports/stock-summary/" in urls
    assert "/api/v1/reports/open-purchase-orders/export/" in urls
    assert "/api/v1/reports/dashboard/" in urls
    assert len(EXPORTS) >= 9


# Exports that need one of several filters (checked together, so none is `required`).
NEEDS = {
    "/api/v1/reports/batch-trace/export/": {"batch"},
    "/api/v1/reports/batch-trace/document/export/": {"number"},
}


def _required(view) -> set[str]:
    return {name for name, field in view.query_serializer().fields.items() if field.required}


@pytest.mark.parametrize(("url", "view"), EXPORTS, ids=[url for url, _v in EXPORTS])
def test_pdf_export_without_filters(client_for, admin_user, url, view):
    response = client_for(admin_user).get(url, {"format": "pdf"})
    required = _required(view) | NEEDS.get(url, set())
    if required:  # e.g. the batch trace needs its batch: a 400 naming it
        assert response.status_code == 400
        assert required & set(response.json()["fields"])
    else:
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


ID_FILTERS = [
    (url, name)
    for url, view in REPORTS
    if not url.endswith("/export/") and not _required(view)
    for name in _FILTER_LABELS
    if name in view.query_serializer().fields
]


@pytest.mark.parametrize(("url", "name"), ID_FILTERS, ids=[f"{u}?{n}" for u, n in ID_FILTERS])
def test_an_id_of_nothing_is_a_400_naming_the_filter(client_for, admin_user, url, name):
    response = client_for(admin_user).get(url, {name: MISSING})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "unknown_id"
    assert list(body["fields"]) == [name]
    assert str(MISSING) in body["message"]


def test_a_required_sku_of_nothing_is_a_400_naming_it(client_for, admin_user):
    response = client_for(admin_user).get("/api/v1/reports/purchase-price-trend/", {"sku": MISSING})
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("unknown_id", ["sku"])


def test_a_keeper_gets_403_for_any_warehouse_outside_scope(client_for, keeper, other_warehouse):
    client = client_for(keeper)
    for warehouse in (other_warehouse.id, MISSING):
        response = client.get("/api/v1/reports/stock-status/", {"warehouse": warehouse})
        assert response.status_code == 403
        assert response.json()["code"] == "out_of_scope"


SUBSCRIPTION = {
    "report": "stock-status",
    "frequency": "daily",
    "extra_recipients": ["buyer@example.com"],
}


def test_a_subscription_names_the_filter_of_nothing(client_for, manager, warehouse):
    response = client_for(manager).post(
        "/api/v1/report-subscriptions/",
        {**SUBSCRIPTION, "filters": {"brand": MISSING}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["filters.brand"]
    unknown = client_for(manager).post(
        "/api/v1/report-subscriptions/",
        {**SUBSCRIPTION, "filters": {"zzz": 1}},
        format="json",
    )
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["filters.zzz"]


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ({"date_from": "2026-02-30"}, "date_from", "2026-02-30 is not a day of the calendar."),
        ({"date_to": "2025-13-01"}, "date_to", "2025-13-01 is not a day of the calendar."),
        ({"date_from": "0001-01-01"}, "date_from", "The period must not start before 1900-01-01."),
        ({"date_from": "1 March"}, "date_from", "Date has wrong format."),
    ],
)
def test_a_period_that_is_no_period_says_why(client_for, admin_user, query, field, text):
    for url in ("/api/v1/reports/stock-summary/", "/api/v1/reports/returns/"):
        response = client_for(admin_user).get(url, query)
        assert response.status_code == 400
        assert response.json()["fields"][field][0].startswith(text)


def test_the_calendar_message_in_chinese(client_for, admin_user):
    response = client_for(admin_user).get(
        "/api/v1/reports/stock-summary/",
        {"date_from": "2026-02-30"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.json()["fields"]["date_from"] == ["日历上没有 2026-02-30 这一天。"]
