"""Build the Elasticsearch client from settings (one place for auth and timeouts)."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from rasid.settings import Settings


def elasticsearch_client(settings: Settings) -> Elasticsearch:
    auth = None
    if settings.elasticsearch_username:
        auth = (settings.elasticsearch_username, settings.elasticsearch_password or "")
    return Elasticsearch(settings.elasticsearch_url, basic_auth=auth, request_timeout=30)
