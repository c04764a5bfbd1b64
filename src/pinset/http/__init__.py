"""The HTTP layer: one pooled, thread-safe client with retries, TLS, proxies, credentials,
redaction, an HTTP cache for index pages and verified streaming downloads.

See ``docs/http.md``. Import the pieces from their modules (``pinset.http.client``,
``pinset.http.auth``); this package does nothing at import time.
"""
