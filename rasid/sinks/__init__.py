"""Sinks: index enriched articles, threats and alerts into Elasticsearch."""
