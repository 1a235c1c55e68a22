"""Feed producers: poll RSS/Atom feeds and push new articles to `news.raw`."""
