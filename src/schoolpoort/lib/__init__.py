"""The kernel: model-free helpers that every module may import, and that import no module.

What more than one module needs lives here once (like ``hc/lib`` in healthchecks or
``zerver/lib`` in Zulip): the one safe way in for uploaded files, archive limits, CSV reading,
Dutch date formats, the form-field template. Things with tables (staging, audit, access) live in
``core``. Import rules are checked by import-linter (``pyproject.toml``)."""
