"""Rasid (راصد): a streaming monitor for Arabic news."""

__version__ = "0.1.0"
