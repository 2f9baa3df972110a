"""deepphen: a command-line catalog manager for curated research-paper lists."""

__version__ = "0.2.0"
