"""ipfacts: keeps the numbers in Chinese intellectual-property reports honest."""

__version__ = "0.1.0"
