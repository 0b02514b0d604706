"""Report subscriptions: the schedule (daily, weekly, monthly, time zones, month ends), one mail
per slot, the attachment is the report's own export, the owner's permissions and scope at send
time, bad filters refused, and the API (own only, admin lists all, send-now, pause)."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from storeledger.accounts import scope
from storeledger.inventory.ledger import MoveRequest
from storeledger.org.models import Company
from storeledger.reports import subscriptions
from storeledger.reports.models import ReportSubscription
from storeledger.reports.subscriptions import Schedule, latest_slot, next_slot
from storeledger.testing import factories

URL = "/api/v1/report-subscriptions/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


def at(zone, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zone)


# ------------------------------------------------------------------ schedule (no database)


def test_daily_slot_is_the_hour_in_the_company_time_zone():
    daily = Schedule("daily", hour=8)
    # 08:00 in Shanghai is 00:00 UTC
    now = at(UTC, 2026, 12, 7, 0, 30)
    assert latest_slot(daily, now, SHANGHAI) == at(UTC, 2026, 12, 7, 0, 0)
    assert next_slot(daily, now, SHANGHAI) == at(UTC, 2026, 12, 8, 0, 0)
    # a minute before 08:00 local: yesterday's slot is the latest
    assert latest_slot(daily, at(SHANGHAI, 2026, 12, 7, 7, 59), SHANGHAI) == at(
        SHANGHAI, 2026, 12, 6, 8
    )


def test_weekly_slot_falls_on_its_weekday():
    monday_nine = Schedule("weekly", hour=9, weekday=0)
    sunday = at(SHANGHAI, 2026, 12, 13, 23, 0)  # a Sunday
    assert latest_slot(monday_nine, sunday, SHANGHAI) == at(SHANGHAI, 2026, 12, 7, 9)
    assert next_slot(monday_nine, sunday, SHANGHAI) == at(SHANGHAI, 2026, 12, 14, 9)


@pytest.mark.parametrize(
    ("day", "now", "latest", "following"),
    [
        # the 31st: February's last day (28th in 2027, 29th in leap 2028), April's 30th
        (31, (2027, 3, 15), (2027, 2, 28), (2027, 3, 31)),
        (31, (2028, 3, 1), (2028, 2, 29), (2028, 3, 31)),
        (31, (2027, 5, 1), (2027, 4, 30), (2027, 5, 31)),
        (30, (2027, 3, 1), (2027, 2, 28), (2027, 3, 30)),
        (1, (2027, 1, 1), (2027, 1, 1), (2027, 2, 1)),
        (15, (2027, 1, 10), (2026, 12, 15), (2027, 1, 15)),
    ],
)
def test_monthly_slot_past_the_month_end_is_its_last_day(day, now, latest, following):
    monthly = Schedule("monthly", hour=6, day_of_month=day)
    instant = at(SHANGHAI, *now, 12)
    assert latest_slot(monthly, instant, SHANGHAI) == at(SHANGHAI, *latest, 6)
    assert next_slot(monthly, instant, SHANGHAI) == at(SHANGHAI, *following, 6)


def test_the_local_hour_holds_across_a_daylight_saving_change():
    daily = Schedule("daily", hour=8)
    # New York leaves daylight saving on 2026-11-01: 08:00 is 12:00 UTC before, 13:00 after
    assert latest_slot(daily, at(UTC, 2026, 10, 31, 12, 0), NEW_YORK) == at(UTC, 2026, 10, 31, 12)
    assert latest_slot(daily, at(UTC, 2026, 11, 1, 12, 59), NEW_YORK) == at(UTC, 2026, 10, 31, 12)
    assert latest_slot(daily, at(UTC, 2026, 11, 1, 13, 0), NEW_YORK) == at(UTC, 2026, 11, 1, 13)


schedules = st.one_of(
    st.builds(Schedule, st.just("daily"), st.integers(0, 23)),
    st.builds(Schedule, st.just("weekly"), st.integers(0, 23), weekday=st.integers(0, 6)),
    st.builds(Schedule, st.just("monthly"), st.integers(0, 23), day_of_month=st.integers(1, 31)),
)
zones = st.sampled_from([SHANGHAI, NEW_YORK, zoneinfo.ZoneInfo("Pacific/Auckland"), UTC])
# hypothesis takes naive bounds and adds the time zone itself
instants = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=datetime.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=200, deadline=None)
@given(schedule=schedules, zone=zones, now=instants)
def test_slots_bracket_now_and_keep_the_schedule(schedule, zone, now):
    latest, following = latest_slot(schedule, now, zone), next_slot(schedule, now, zone)
    assert latest <= now < following
    # the latest slot is a fixed point: asked at that instant, the same slot; just before
    # it, an earlier one; the next slot's latest is itself
    assert latest_slot(schedule, latest, zone) == latest
    assert latest_slot(schedule, latest - datetime.timedelta(microseconds=1), zone) < latest
    assert latest_slot(schedule, following, zone) == following
    for slot in (latest, following):
        local = slot.astimezone(zone)
        assert schedule.runs_on(local.date())
        if schedule.frequency == "weekly":
            assert local.weekday() == schedule.weekday
        if schedule.frequency == "monthly":
            last_day = subscriptions._month_length(local.date())
            assert local.day == min(schedule.day_of_month, last_day)
    days = {"daily": (1, 1), "weekly": (7, 7), "monthly": (28, 31)}[schedule.frequency]
    hours = (following - latest) / datetime.timedelta(hours=1)
    assert days[0] * 24 - 2 <= hours <= days[1] * 24 + 2  # ± a daylight saving change


# ------------------------------------------------------------------ with the database


def post(key, warehouse, sku, quantity, move_type, cost=None):
    factories.posting(
        key,
        [
            MoveRequest(
                warehouse_id=warehouse.id,
                sku_id=sku.id,
                quantity=Decimal(quantity),
                move_type=move_type,
                unit_cost=None if cost is None else Decimal(cost),
            )
        ],
    )


@pytest.fixture
def stock(warehouse, other_warehouse, sku):
    """COLA: 30 in WH01 worth 45.00 (received at 1.50), 8 in WH02 worth 16.00."""
    post("in1", warehouse, sku, "30", "stock_in", "1.50")
    post("in2", other_warehouse, sku, "8", "stock_in", "2.00")


@pytest.fixture
def chain_manager(store, other_store):
    """A store manager (costs) of both stores, with an e-mail address."""
    user = factories.user("chainmgr", roles=("store_manager",), stores=(store, other_store))
    user.email = "chain@example.com"
    user.save()
    return user


def subscribe(user, **values) -> ReportSubscription:
    values.setdefault("report", "stock-status")
    values.setdefault("frequency", "daily")
    values.setdefault("language", "en")
    subscription = subscriptions.create_subscription(
        user=user, data=subscriptions.SubscriptionInput(**values)
    )
    # as if made long ago: every slot from now on counts, and the fixed December 2026 slots
    # of the tests below too, whatever the year the tests run in (400 days before now had
    # passed them from January 2028 on)
    first_fixed_slot = at(UTC, 2026, 12, 1)
    subscription.active_since = min(timezone.now(), first_fixed_slot) - datetime.timedelta(days=400)
    subscription.save()
    return subscription


def workbook_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def table(rows: list[list]) -> list[list]:
    """The header row and what follows (the title rows above name the time of export)."""
    start = next(i for i, row in enumerate(rows) if "SKU code" in row)
    return rows[start:]


def attachment_rows(message) -> list[list]:
    [(filename, content, content_type)] = message.attachments
    assert filename.endswith(".xlsx") and content_type.startswith("application/vnd.openxml")
    return workbook_rows(content)


@pytest.mark.django_db
def test_a_due_slot_is_mailed_once_and_the_next_one_again(chain_manager, stock):
    subscription = subscribe(chain_manager, hour=8)
    morning = at(SHANGHAI, 2026, 12, 7, 8, 5)
    assert subscriptions.due_subscriptions(morning) == [subscription]
    assert subscriptions.send_due(morning).sent == 1
    assert subscriptions.send_due(morning + datetime.timedelta(minutes=5)).sent == 0
    assert subscriptions.due_subscriptions(morning + datetime.timedelta(hours=3)) == []
    assert len(mail.outbox) == 1
    subscription.refresh_from_db()
    assert subscription.sent_slot == at(SHANGHAI, 2026, 12, 7, 8)
    assert subscription.last_sent_at == morning and subscription.last_error == ""
    # positive control: the next morning's slot is due and mailed
    call_command("send_report_subscriptions", "--now", "2026-12-08T08:01")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["chain@example.com"]


@pytest.mark.django_db
def test_a_new_subscription_does_not_mail_a_slot_that_passed_before_it(chain_manager, stock):
    subscription = subscriptions.create_subscription(
        user=chain_manager,
        data=subscriptions.SubscriptionInput(report="stock-status", frequency="daily", hour=0),
    )
    now = timezone.now()
    assert subscriptions.due_subscriptions(now) == []
    tomorrow = next_slot(Schedule.of(subscription), now, SHANGHAI)
    assert subscriptions.due_subscriptions(tomorrow) == [subscription]


@pytest.mark.django_db
def test_the_attachment_is_the_export_the_owner_downloads(
    chain_manager, stock, warehouse, client_for
):
    subscription = subscribe(
        chain_manager, filters={"warehouse": warehouse.id}, extra_recipients=["a@example.com"]
    )
    assert subscriptions.send_subscription(subscription, timezone.now()) == "sent"
    [message] = mail.outbox
    assert message.to == ["chain@example.com", "a@example.com"]
    assert message.subject.startswith("[StoreLedger] Stock status")
    assert "Attached is the report" in message.body
    mailed = table(attachment_rows(message))

    response = client_for(chain_manager).get(
        "/api/v1/reports/stock-status/export/", {"warehouse": warehouse.id, "format": "xlsx"}
    )
    downloaded = table(workbook_rows(b"".join(response.streaming_content)))
    assert mailed == downloaded
    figures = dict(zip(mailed[0], mailed[1], strict=True))
    body = client_for(chain_manager).get(
        "/api/v1/reports/stock-status/", {"warehouse": warehouse.id}
    )
    [row] = body.json()["results"]
    assert figures["On hand"] == Decimal(row["on_hand"]) == 30
    assert figures["Value"] == Decimal(row["value"]) == 45


@pytest.mark.django_db
def test_a_report_over_a_period_is_sent_for_the_last_full_period(chain_manager, stock):
    subscription = subscribe(
        chain_manager,
        report="stock-summary",
        frequency="monthly",
        day_of_month=1,
        language="zh-hans",
    )
    now = timezone.now()
    subscriptions.send_subscription(subscription, now, force=True)
    [message] = mail.outbox
    local = now.astimezone(SHANGHAI).date()
    end = local.replace(day=1) - datetime.timedelta(days=1)
    assert f"{end.replace(day=1).isoformat()} ~ {end.isoformat()}" in message.subject
    assert message.subject.startswith("[StoreLedger] 进销存汇总")
    assert "您订阅的报表" in message.body


@pytest.mark.django_db
def test_cost_and_stores_are_the_owners_at_send_time(chain_manager, stock, store):
    subscription = subscribe(chain_manager)
    subscriptions.send_subscription(subscription, timezone.now(), force=True)
    before = table(attachment_rows(mail.outbox[0]))
    assert "Value" in before[0]
    assert sorted(row[0] for row in before[1:]) == ["WH01 一号店仓库", "WH02 二号店仓库"]

    # loses the cost permission (now a warehouse keeper) and the second store
    chain_manager.groups.set([Group.objects.get(name="warehouse_keeper")])
    chain_manager.scope.stores.set([store])
    scope.forget(chain_manager)
    subscriptions.send_subscription(subscription, timezone.now(), force=True)
    after = table(attachment_rows(mail.outbox[1]))
    assert "Value" not in after[0] and "On hand" in after[0]
    assert [row[0] for row in after[1:]] == ["WH01 一号店仓库"]


@pytest.mark.django_db
def test_an_owner_out_of_the_filtered_store_or_deactivated_gets_nothing(
    chain_manager, stock, store, other_warehouse
):
    lost = subscribe(chain_manager, filters={"warehouse": other_warehouse.id})
    kept = subscribe(chain_manager)
    chain_manager.scope.stores.set([store])
    now = at(SHANGHAI, 2026, 12, 7, 9)
    summary = subscriptions.send_due(now)
    assert (summary.sent, summary.paused) == (1, 1)  # the other one still goes
    lost.refresh_from_db()
    assert not lost.is_active and "outside your data scope" in lost.last_error
    assert len(mail.outbox) == 1

    chain_manager.is_active = False
    chain_manager.save()
    assert subscriptions.send_due(now + datetime.timedelta(days=1)).paused == 1
    kept.refresh_from_db()
    assert not kept.is_active and kept.last_error == "The owner's account is deactivated."
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_keeps_the_slot_for_the_next_run(chain_manager, stock, monkeypatch):
    subscription = subscribe(chain_manager)
    now = at(SHANGHAI, 2026, 12, 7, 9)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert subscriptions.send_due(now).failed == 1
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.sent_slot is None
    assert "smtp down" in subscription.last_error
    monkeypatch.undo()
    assert subscriptions.send_due(now + datetime.timedelta(minutes=5)).sent == 1
    subscription.refresh_from_db()
    assert subscription.last_error == "" and len(mail.outbox) == 1


# ------------------------------------------------------------------ API


def payload(**values) -> dict:
    return {"report": "stock-status", "frequency": "daily", "hour": 8, "language": "en"} | values


@pytest.mark.django_db
def test_bad_filters_and_schedules_are_refused_in_the_error_shape(
    chain_manager, client_for, keeper, other_warehouse
):
    client = client_for(chain_manager)
    cases = [
        (payload(filters={"group_by": "nonsense"}), "filters.group_by"),
        (payload(filters={"wharehouse": 1}), "filters.wharehouse"),
        (payload(filters={"date_from": "2026-01-01"}), "filters.date_from"),
        (payload(filters={"no_outflow_days": 0}), "filters.no_outflow_days"),
        (payload(report="stock-nonsense"), "report"),
        (payload(frequency="weekly"), "weekday"),
        (payload(frequency="monthly", day_of_month=32), "day_of_month"),
        (payload(hour=24), "hour"),
        (payload(extra_recipients=["not-an-address"]), "extra_recipients.0"),
    ]
    for body, field in cases:
        response = client.post(URL, body, format="json")
        assert response.status_code == 400, (body, response.content)
        answer = response.json()
        assert set(answer) == {"code", "message", "fields", "details"}
        assert field in answer["fields"], (body, answer)
    # a keeper (no e-mail) of store 1 may not name store 2's warehouse
    keeper_client = client_for(keeper)
    response = keeper_client.post(
        URL,
        payload(filters={"warehouse": other_warehouse.id}, extra_recipients=["k@example.com"]),
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    response = keeper_client.post(URL, payload(), format="json")
    assert response.status_code == 400 and "extra_recipients" in response.json()["fields"]
    assert ReportSubscription.objects.count() == 0
    # positive control: the same keeper with a recipient and his own warehouse
    assert keeper_client.post(URL, payload(extra_recipients=["k@example.com"]), format="json")
    assert ReportSubscription.objects.count() == 1


@pytest.mark.django_db
def test_a_report_the_user_may_not_see_is_refused(client_for, store):
    cashier = factories.user("cash", roles=("cashier",), stores=(store,))
    response = client_for(cashier).post(
        URL, payload(report="purchases", extra_recipients=["c@example.com"]), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "report_permission_denied"


@pytest.mark.django_db
def test_users_see_their_own_and_an_admin_lists_all(
    chain_manager, admin_user, client_for, stock, warehouse
):
    mine = client_for(chain_manager)
    created = mine.post(
        URL,
        payload(
            frequency="weekly", weekday=0, filters={"warehouse": warehouse.id, "only": "no_outflow"}
        ),
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["filters"] == {"warehouse": warehouse.id, "only": "no_outflow"}
    assert body["recipients"] == ["chain@example.com"] and body["report_title"] == "Stock status"
    assert datetime.datetime.fromisoformat(body["next_send_at"]).weekday() == 0
    theirs = subscribe(admin_user, extra_recipients=["boss@example.com"])

    assert [s["id"] for s in mine.get(URL).json()["results"]] == [body["id"]]
    assert mine.get(f"{URL}{theirs.id}/").status_code == 404
    assert mine.patch(f"{URL}{theirs.id}/", {"hour": 9}, format="json").status_code == 404
    assert mine.get(URL, {"all": "true"}).status_code == 403
    boss = client_for(admin_user)
    assert [s["id"] for s in boss.get(URL).json()["results"]] == [theirs.id]
    assert {s["id"] for s in boss.get(URL, {"all": "true"}).json()["results"]} == {
        body["id"],
        theirs.id,
    }

    url = f"{URL}{body['id']}/"
    changed = mine.patch(url, {"frequency": "monthly", "day_of_month": 31}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["frequency"], changed.json()["day_of_month"]) == ("monthly", 31)
    assert changed.json()["filters"] == body["filters"]
    paused = mine.post(url + "deactivate/")
    assert paused.json()["is_active"] is False and paused.json()["next_send_at"] is None
    assert mine.post(url + "activate/").json()["is_active"] is True

    sent = mine.post(url + "send-now/")
    assert sent.status_code == 200 and sent.json()["outcome"] == "sent"
    assert sent.json()["subscription"]["last_sent_at"] is not None
    [message] = mail.outbox
    assert table(attachment_rows(message))[1][0] == "WH01 一号店仓库"
    assert mine.delete(url).status_code == 204
    assert not ReportSubscription.objects.filter(pk=body["id"]).exists()


@pytest.mark.django_db
def test_the_company_time_zone_sets_the_hour(chain_manager, stock):
    company = Company.current()
    company.time_zone = "America/New_York"
    company.save()
    subscription = subscribe(chain_manager, hour=8)
    subscription.sent_slot = at(NEW_YORK, 2026, 12, 6, 8)
    subscription.save()
    assert subscriptions.due_subscriptions(at(NEW_YORK, 2026, 12, 7, 7, 59)) == []
    assert subscriptions.due_subscriptions(at(NEW_YORK, 2026, 12, 7, 8, 0)) == [subscription]


@pytest.mark.django_db
def test_filters_are_shown_with_labels_and_names_in_both_languages(
    chain_manager, warehouse, client_for
):
    subscribe(
        chain_manager,
        report="stock-summary",
        filters={"warehouse": warehouse.id, "group_by": "warehouse_sku", "search": "可乐"},
    )
    shown = {}
    for language in ("en", "zh-hans"):
        response = client_for(chain_manager).get(URL, HTTP_ACCEPT_LANGUAGE=language)
        [row] = response.json()["results"]
        shown[language] = (row["filter_labels"], row["period_label"])
    assert shown["en"] == (
        [
            {"key": "warehouse", "label": "Warehouse", "value": str(warehouse)},
            {"key": "search", "label": "Search", "value": "可乐"},
            {"key": "group_by", "label": "Group by", "value": "Per warehouse and SKU"},
        ],
        "The last full day, week or month",
    )
    assert shown["zh-hans"][0] == [
        {"key": "warehouse", "label": "仓库", "value": str(warehouse)},
        {"key": "search", "label": "搜索", "value": "可乐"},
        {"key": "group_by", "label": "汇总方式", "value": "按仓库和商品"},
    ]
    assert str(warehouse) == f"{warehouse.code} {warehouse.name}"
    # a report that is not over a period has no period to show
    subscribe(chain_manager, report="stock-status", filters={"only": "no_outflow"})
    rows = client_for(chain_manager).get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    [status] = [r for r in rows if r["report"] == "stock-status"]
    assert (status["filter_labels"], status["period_label"]) == (
        [{"key": "only", "label": "Only", "value": "No outflow"}],
        None,
    )


@pytest.mark.django_db
def test_the_form_previews_the_filters_as_checked_labels(
    chain_manager, warehouse, client_for, store
):
    client = client_for(chain_manager)
    response = client.post(
        URL + "filter-labels/",
        {"report": "stock-ageing", "filters": {"warehouse": warehouse.id}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "filter_labels": [{"key": "warehouse", "label": "Warehouse", "value": str(warehouse)}]
    }
    # the names of another store's warehouse are not told
    stranger = factories.warehouse(factories.store("0777"), code="WX")
    refused = client.post(
        URL + "filter-labels/",
        {"report": "stock-ageing", "filters": {"warehouse": stranger.id}},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "out_of_scope"
