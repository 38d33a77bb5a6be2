"""When things may go out: quiet hours (push waits for the morning) and digest times (daily at
17:00, weekly on Friday at 17:00), all in Europe/Amsterdam. Pure functions of a moment, so the
tests can walk the clock; every "now" in notify comes from ``now()`` below."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DIGEST_TIME = datetime.time(17, 0)
DIGEST_WEEKDAY = 4  # Friday


def now() -> datetime.datetime:
    return timezone.now()


@dataclass(frozen=True)
class Quiet:
    """A school's quiet hours; the defaults apply when the school has no QuietHours row."""

    starts_at: datetime.time = datetime.time(19, 0)
    ends_at: datetime.time = datetime.time(7, 30)
    weekend: bool = True

    @classmethod
    def of(cls, row) -> Quiet:
        return cls(row.starts_at, row.ends_at, row.weekend) if row is not None else cls()

    def _in_window(self, t: datetime.time) -> bool:
        if self.starts_at == self.ends_at:
            return False
        if self.starts_at > self.ends_at:  # over midnight, e.g. 19:00–07:30
            return t >= self.starts_at or t < self.ends_at
        return self.starts_at <= t < self.ends_at

    def is_quiet(self, moment: datetime.datetime) -> bool:
        local = moment.astimezone(AMSTERDAM)
        return (self.weekend and local.weekday() >= 5) or self._in_window(local.time())

    def next_allowed(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment`` itself when push may go out then, else the end of the quiet period (the next
        morning; Monday morning for the weekend)."""
        candidate = moment
        for _step in range(10):  # at most: Friday night → Saturday → Sunday → Monday morning
            if not self.is_quiet(candidate):
                return candidate
            local = candidate.astimezone(AMSTERDAM)
            day = local.date()
            if not self._in_window(local.time()) or local.time() >= self.ends_at:
                day += datetime.timedelta(days=1)  # weekend daytime or evening: tomorrow's morning
            candidate = datetime.datetime.combine(day, self.ends_at, tzinfo=AMSTERDAM)
        return candidate


def next_digest_at(period: str, moment: datetime.datetime) -> datetime.datetime:
    """The next daily (17:00) or weekly (Friday 17:00) digest time strictly after ``moment``."""
    local = moment.astimezone(AMSTERDAM)
    day = local.date()
    if local.time() >= DIGEST_TIME:
        day += datetime.timedelta(days=1)
    if period == "weekly":
        day += datetime.timedelta(days=(DIGEST_WEEKDAY - day.weekday()) % 7)
    return datetime.datetime.combine(day, DIGEST_TIME, tzinfo=AMSTERDAM)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Backoff after a temporary error: 1, 5, 15, 60 minutes; then the delivery has failed."""
    minutes = (1, 5, 15, 60)
    return datetime.timedelta(minutes=minutes[min(max(attempts, 1), len(minutes)) - 1])
