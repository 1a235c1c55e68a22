"""Stream processors (Faust agents): enrich `news.raw` into `news.enriched`."""
