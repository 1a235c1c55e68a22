"""The `rasid` command line: one module per command group."""
