"""Report subscriptions: a user's report (with its filters) mailed as xlsx daily, weekly or
monthly at an hour of the company's time zone.

- `create_subscription` / `update_subscription` / `deactivate_subscription` /
  `activate_subscription` / `delete_subscription`: the owner's changes, the filters checked
  by the report endpoint's own query serializer and the owner's scope (`reports.subscribable`).
- `latest_slot` / `next_slot`: the schedule's instants. A monthly day past a month's end
  (the 31st in February) sends on the month's last day.
- `due_subscriptions(now)`: the active ones whose latest slot is not sent yet (only slots
  from `active_since` on, so a new, changed or resumed subscription never mails a missed
  slot at once; after an outage only the latest missed slot is sent, once).
- `send_subscription(sub, now)`: under the subscription's row lock, renders the report as
  the owner at that moment (permissions, cost columns, data scope) through the report's own
  export path, mails it and records the slot — so a repeated beat run or two workers mail a
  slot once. An owner who was deactivated, lost the report's permission or the store the
  filters name gets no mail: the subscription is paused with `last_error`.
- `send_due(now)`: what the beat task and `manage.py send_report_subscriptions` run."""

from __future__ import annotations

import datetime
import enum
import logging
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from storeledger.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from storeledger.core.services import service
from storeledger.org.models import Company
from storeledger.reports.models import (
    Frequency,
    ReportSubscription,
    SubscriptionLanguage,
    SubscriptionPeriod,
)

logger = logging.getLogger(__name__)

MAX_EXTRA_RECIPIENTS = 10
SCHEDULE_FIELDS = ("frequency", "weekday", "day_of_month", "hour")


# ------------------------------------------------------------------ schedule


@dataclass(frozen=True)
class Schedule:
    frequency: str
    hour: int
    weekday: int | None = None  # 0 = Monday (weekly)
    day_of_month: int | None = None  # 1–31 (monthly)

    @classmethod
    def of(cls, subscription: ReportSubscription) -> Schedule:
        return cls(
            subscription.frequency,
            subscription.hour,
            subscription.weekday,
            subscription.day_of_month,
        )

    def runs_on(self, day: datetime.date) -> bool:
        if self.frequency == Frequency.WEEKLY:
            return day.weekday() == self.weekday
        if self.frequency == Frequency.MONTHLY:
            assert self.day_of_month is not None
            return day.day == min(self.day_of_month, _month_length(day))
        return True

    def at(self, day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(self.hour), tzinfo=zone).astimezone(
            datetime.UTC
        )


def _month_length(day: datetime.date) -> int:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (following - datetime.timedelta(days=1)).day


def company_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(Company.current().time_zone)


def latest_slot(
    schedule: Schedule, now: datetime.datetime, zone: datetime.tzinfo
) -> datetime.datetime:
    """The last scheduled instant at or before `now` (UTC)."""
    day = now.astimezone(zone).date()
    for _ in range(40):
        if schedule.runs_on(day):
            slot = schedule.at(day, zone)
            if slot <= now:
                return slot
        day -= datetime.timedelta(days=1)
    raise AssertionError("a schedule runs at least once a month")


def next_slot(
    schedule: Schedule, now: datetime.datetime, zone: datetime.tzinfo
) -> datetime.datetime:
    """The first scheduled instant after `now` (UTC)."""
    day = now.astimezone(zone).date()
    for _ in range(40):
        if schedule.runs_on(day):
            slot = schedule.at(day, zone)
            if slot > now:
                return slot
        day += datetime.timedelta(days=1)
    raise AssertionError("a schedule runs at least once a month")


def due_slot(
    subscription: ReportSubscription, now: datetime.datetime, zone: datetime.tzinfo
) -> datetime.datetime | None:
    """The slot to send now, or None when nothing is due."""
    if not subscription.is_active:
        return None
    slot = latest_slot(Schedule.of(subscription), now, zone)
    if slot < subscription.active_since:
        return None
    if subscription.sent_slot is not None and slot <= subscription.sent_slot:
        return None
    return slot


def due_subscriptions(now: datetime.datetime) -> list[ReportSubscription]:
    zone = company_zone()
    return [
        subscription
        for subscription in ReportSubscription.objects.filter(is_active=True).order_by("id")
        if due_slot(subscription, now, zone) is not None
    ]


def report_period(
    subscription: ReportSubscription, day: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of a report over a period sent on the local date `day`: the last full day,
    7 days or calendar month before it, or this month up to `day`."""
    if subscription.period == SubscriptionPeriod.MONTH_TO_DATE:
        return day.replace(day=1), day
    yesterday = day - datetime.timedelta(days=1)
    if subscription.frequency == Frequency.DAILY:
        return yesterday, yesterday
    if subscription.frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=7), yesterday
    last_month_end = day.replace(day=1) - datetime.timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


# ------------------------------------------------------------------ changes


@dataclass(frozen=True)
class SubscriptionInput:
    report: str
    frequency: str
    filters: dict[str, Any] = field(default_factory=dict)
    period: str = SubscriptionPeriod.PREVIOUS
    weekday: int | None = None
    day_of_month: int | None = None
    hour: int = 8
    language: str = SubscriptionLanguage.ZH_HANS
    extra_recipients: list[str] = field(default_factory=list)


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={name: [message]})


def _clean(user, data: SubscriptionInput) -> dict[str, Any]:
    from storeledger.reports import subscribable

    report = subscribable.get(data.report)
    report.check_access(user)
    if data.frequency not in Frequency.values:
        raise _invalid("frequency", gettext("The frequency must be daily, weekly or monthly."))
    if data.period not in SubscriptionPeriod.values:
        raise _invalid("period", gettext("Unknown period."))
    if data.language not in SubscriptionLanguage.values:
        raise _invalid("language", gettext("The language must be zh-hans or en."))
    if not 0 <= data.hour <= 23:
        raise _invalid("hour", gettext("The hour must be 0–23."))
    weekday = day_of_month = None
    if data.frequency == Frequency.WEEKLY:
        if data.weekday is None or not 0 <= data.weekday <= 6:
            raise _invalid("weekday", gettext("A weekly subscription needs a weekday (0–6)."))
        weekday = data.weekday
    if data.frequency == Frequency.MONTHLY:
        if data.day_of_month is None or not 1 <= data.day_of_month <= 31:
            raise _invalid(
                "day_of_month", gettext("A monthly subscription needs a day of month (1–31).")
            )
        day_of_month = data.day_of_month
    recipients = _clean_recipients(data.extra_recipients)
    if not user.email and not recipients:
        raise _invalid(
            "extra_recipients",
            gettext("Your account has no e-mail address: add one or name a recipient."),
        )
    return {
        "report": report.key,
        "filters": report.clean_filters(user, data.filters),
        "period": data.period,
        "frequency": data.frequency,
        "weekday": weekday,
        "day_of_month": day_of_month,
        "hour": data.hour,
        "language": data.language,
        "extra_recipients": recipients,
    }


def _clean_recipients(addresses: list[str]) -> list[str]:
    if len(addresses) > MAX_EXTRA_RECIPIENTS:
        raise _invalid(
            "extra_recipients",
            gettext("At most %(max)s extra recipients.") % {"max": MAX_EXTRA_RECIPIENTS},
        )
    cleaned: list[str] = []
    for index, address in enumerate(addresses):
        address = str(address).strip()
        try:
            validate_email(address)
        except DjangoValidationError:
            message = gettext("Not a valid e-mail address: %(address)s") % {"address": address}
            raise ValidationFailed(
                message, fields={f"extra_recipients.{index}": [message]}
            ) from None
        if address.lower() not in {a.lower() for a in cleaned}:
            cleaned.append(address)
    return cleaned


def _own(user, subscription_id: int) -> ReportSubscription:
    subscription = ReportSubscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or subscription.owner_id != user.pk:
        raise NotFound()
    return subscription


@service
def create_subscription(*, user, data: SubscriptionInput) -> ReportSubscription:
    return ReportSubscription.objects.create(
        owner=user, active_since=timezone.now(), **_clean(user, data)
    )


@service
def update_subscription(
    *, user, subscription_id: int, data: SubscriptionInput
) -> ReportSubscription:
    subscription = _own(user, subscription_id)
    cleaned = _clean(user, data)
    if any(getattr(subscription, name) != cleaned[name] for name in SCHEDULE_FIELDS):
        subscription.active_since = timezone.now()
    for name, value in cleaned.items():
        setattr(subscription, name, value)
    subscription.save()
    return subscription


@service
def deactivate_subscription(*, user, subscription_id: int) -> ReportSubscription:
    subscription = _own(user, subscription_id)
    subscription.is_active = False
    subscription.save(update_fields=["is_active", "updated_at"])
    return subscription


@service
def activate_subscription(*, user, subscription_id: int) -> ReportSubscription:
    subscription = _own(user, subscription_id)
    if not subscription.is_active:
        subscription.is_active = True
        subscription.active_since = timezone.now()
        subscription.last_error = ""
        subscription.save(update_fields=["is_active", "active_since", "last_error", "updated_at"])
    return subscription


@service
def delete_subscription(*, user, subscription_id: int) -> None:
    _own(user, subscription_id).delete()


# ------------------------------------------------------------------ sending


class Outcome(enum.StrEnum):
    SENT = "sent"
    NOT_DUE = "not_due"  # nothing due (already sent by another run, paused, …)
    PAUSED = "paused"  # the owner may no longer get it: paused with last_error
    FAILED = "failed"  # the mail could not be sent: retried on the next run


def recipients(subscription: ReportSubscription) -> list[str]:
    found = [subscription.owner.email] if subscription.owner.email else []
    for address in subscription.extra_recipients:
        if address.lower() not in {a.lower() for a in found}:
            found.append(address)
    return found


def send_subscription(
    subscription: ReportSubscription, now: datetime.datetime, *, force: bool = False
) -> Outcome:
    """Mail the subscription's report if its latest slot is due (`force`: now, whatever the
    schedule — the owner's "send now", which leaves the schedule as it is). Idempotent per
    slot: the check and the record of the slot happen under the row lock, so of two runs at
    once one sends and the other finds the slot sent."""
    zone = company_zone()
    with transaction.atomic():
        locked = (
            ReportSubscription.objects.select_for_update()
            .select_related("owner")
            .filter(pk=subscription.pk)
            .first()
        )
        if locked is None:
            return Outcome.NOT_DUE
        slot = due_slot(locked, now, zone)
        if slot is None and not force:
            return Outcome.NOT_DUE
        outcome = _deliver(locked, now, zone)
        if outcome == Outcome.SENT:
            if slot is not None:
                locked.sent_slot = slot
            locked.last_sent_at = now
            locked.last_error = ""
        locked.save(
            update_fields=["sent_slot", "last_sent_at", "last_error", "is_active", "updated_at"]
        )
    subscription.refresh_from_db()
    return outcome


def _pause(subscription: ReportSubscription, reason: str) -> Outcome:
    subscription.is_active = False
    subscription.last_error = reason
    return Outcome.PAUSED


def _deliver(
    subscription: ReportSubscription, now: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> Outcome:
    from storeledger.reports import subscribable

    owner = subscription.owner
    with translation.override(subscription.language), timezone.override(zone):
        if not owner.is_active:
            return _pause(subscription, gettext("The owner's account is deactivated."))
        to = recipients(subscription)
        if not to:
            subscription.last_error = gettext("No recipient: the owner has no e-mail address.")
            return Outcome.FAILED
        report = subscribable.REPORTS.get(subscription.report)
        if report is None:
            return _pause(subscription, gettext("This report can no longer be subscribed to."))
        day = now.astimezone(zone).date()
        period = report_period(subscription, day)
        try:
            file = report.render(owner, subscription.filters, period=period)
        except (PermissionDenied, ValidationFailed) as error:  # out of scope, lost permission
            return _pause(subscription, str(error.message))
        except DomainError as error:
            subscription.last_error = str(error.message)
            return Outcome.FAILED
        message = _message(subscription, report.title, period if report.has_period else None)
        message.to = to
        message.attach(file.filename, file.content, file.content_type)
        try:
            message.send(fail_silently=False)
        except Exception as error:  # SMTP refused, server down: kept, retried next run
            logger.warning("report subscription %s: mail failed: %s", subscription.pk, error)
            subscription.last_error = gettext("The e-mail could not be sent: %(error)s") % {
                "error": error
            }
            return Outcome.FAILED
    return Outcome.SENT


def _message(
    subscription: ReportSubscription,
    title: str,
    period: tuple[datetime.date, datetime.date] | None,
) -> EmailMessage:
    frequency = Frequency(subscription.frequency).label
    if period is not None:
        subject = f"{title} {period[0].isoformat()} ~ {period[1].isoformat()}"
    else:
        subject = f"{title} {timezone.localdate().isoformat()}"
    body = "\n\n".join(
        [
            gettext("Hello %(name)s,") % {"name": subscription.owner.get_username()},
            gettext(
                "Attached is the report “%(title)s” you subscribed to (%(frequency)s), as "
                "you would export it with the same filters."
            )
            % {"title": title, "frequency": str(frequency).lower()},
            gettext(
                "To change or stop it, open “My subscriptions” in StoreLedger "
                "(/reports/subscriptions)."
            ),
            "StoreLedger",
        ]
    )
    return EmailMessage(subject=f"[StoreLedger] {subject}", body=body)


@dataclass
class SendSummary:
    sent: int = 0
    paused: int = 0
    failed: int = 0
    skipped: int = 0

    def count(self, outcome: Outcome) -> None:
        if outcome == Outcome.SENT:
            self.sent += 1
        elif outcome == Outcome.PAUSED:
            self.paused += 1
        elif outcome == Outcome.FAILED:
            self.failed += 1
        else:
            self.skipped += 1


def send_due(now: datetime.datetime | None = None) -> SendSummary:
    """Send every due subscription (beat's task, the management command). One that fails
    unexpectedly is logged and kept with its error; the others are still sent."""
    now = now or timezone.now()
    summary = SendSummary()
    for subscription in due_subscriptions(now):
        try:
            summary.count(send_subscription(subscription, now))
        except Exception as error:
            logger.exception("report subscription %s failed", subscription.pk)
            ReportSubscription.objects.filter(pk=subscription.pk).update(
                last_error=str(error)[:1000]
            )
            summary.failed += 1
    return summary
