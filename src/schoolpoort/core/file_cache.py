"""The "default" cache when no Redis is configured: diskcache's Django backend (files with SQLite
indexes under var/cache), which every process of the machine shares. A parent's reach and page
parts kept by one app worker are then kept for all of them (core/access.py), where a cache in
each process's memory made every worker build each parent's pages once more.

Two things differ from ``diskcache.DjangoCache``, both about opening the files:
- one set of open files per process, shared by its threads: Django makes a cache object per
  thread, and opening the index files costs far more than a page's reads (the development
  server and the test live server start a thread per request);
- Django closes every cache after each request; closing this one would make the next request
  open every index file again. Its connections stay open (a forked process opens its own)."""

from __future__ import annotations

import threading

from diskcache import DjangoCache, FanoutCache
from django.core.cache.backends.base import BaseCache

_opened: dict[tuple, FanoutCache] = {}
_lock = threading.Lock()


class FileCache(DjangoCache):
    def __init__(self, directory, params):
        BaseCache.__init__(self, params)  # not DjangoCache's: it opens the files again per thread
        shards = params.get("SHARDS", 8)
        timeout = params.get("DATABASE_TIMEOUT", 0.010)
        options = params.get("OPTIONS", {})
        key = (str(directory), shards, timeout, tuple(sorted(options.items())))
        with _lock:
            if key not in _opened:
                _opened[key] = FanoutCache(str(directory), shards, timeout, **options)
            self._cache = _opened[key]

    def close(self, **kwargs):
        """Kept open across requests (see above)."""
