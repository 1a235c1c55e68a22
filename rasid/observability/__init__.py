"""What operators see: Prometheus metrics per stage, consumer lag, structured logs carrying the article id."""
