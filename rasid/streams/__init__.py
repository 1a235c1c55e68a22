"""Thin Kafka edge: topic administration, record publishing, the dead-letter queue."""
