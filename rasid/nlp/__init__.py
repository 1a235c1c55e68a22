"""Arabic NLP: normalisation, stemming, tokens, entities, threat statements.

Pure Python: nothing here imports Kafka or Elasticsearch clients.
"""
