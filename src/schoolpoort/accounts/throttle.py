"""Failed logins (django-axes): counted per account *and* address pair, with a higher ceiling per
address. Eight wrong passwords for Jansen's account from one address lock that pair only, so
nobody can lock Jansen out from elsewhere; one address guessing at many accounts hits the
address ceiling. Both cool off after ``AXES_COOLOFF_TIME``.

axes compares one number with one limit; this handler gives each lockout parameter its own
limit (``LOGIN_FAILURE_LIMITS``) and answers "at the limit" as soon as any of them is reached."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _name(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        own_limits = settings.LOGIN_FAILURE_LIMITS
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own_limit = own_limits.get(_name(parameter), limit)
            if failures >= own_limit:
                return max(failures, limit)  # locked, whichever parameter it was
            # Below its own limit: scaled, so the number stays below axes' one limit.
            worst = max(worst, failures * limit // own_limit)
        return min(worst, limit - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login lifts the lock of its own account and address pair only: signing in
        to one's own account must not wipe the address's count of guesses at other accounts."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
