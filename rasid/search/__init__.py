"""Search the indexed articles (the `rasid search` command and the web page use this)."""
