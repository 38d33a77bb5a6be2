"""The "versions" cache when no Redis is configured (core/versions.py): Django's database cache,
whose writes are each one statement, whatever the number of keys.

Django's own ``DatabaseCache`` writes a key in three statements, the first a ``COUNT(*)`` of the
whole table (to decide on culling). The versions table holds about two rows per user and a
notification to a whole school bumps the counts of thousands of users at once: that would be
thousands of counts of a table of thousands of rows. Here ``set_many`` is one ``INSERT … ON
CONFLICT DO UPDATE`` per 500 keys and ``add`` one ``INSERT … ON CONFLICT``; reads are Django's. A
version never expires and the rows are bounded by the users, so nothing is culled."""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CHUNK = 500


class VersionCache(DatabaseCache):
    def _expires(self, timeout, connection):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        return connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))

    def _write(self, data: dict, timeout, version, *, only_new: bool) -> int:
        """Upsert ``data``; with ``only_new`` an existing key is kept unless it has expired.
        Returns the number of rows written."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key, value, expires = quote(self._table), quote("cache_key"), quote("value"), quote("expires")
        stamp = self._expires(timeout, connection)
        rows = [
            (self.make_and_validate_key(name, version=version),
             base64.b64encode(pickle.dumps(item, self.pickle_protocol)).decode("latin1"), stamp)
            for name, item in data.items()
        ]
        conflict = f"DO UPDATE SET {value} = excluded.{value}, {expires} = excluded.{expires}"
        params_now = []
        if only_new:
            conflict += f" WHERE {table}.{expires} < %s"
            params_now = [connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))]
        written = 0
        with connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({key}, {value}, {expires}) VALUES {values} ON CONFLICT ({key}) {conflict}",
                    [field for row in chunk for field in row] + params_now,
                )
                written += cursor.rowcount
        return written

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._write({key: value}, timeout, version, only_new=False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if data:
            self._write(dict(data), timeout, version, only_new=False)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write({key: value}, timeout, version, only_new=True) == 1
