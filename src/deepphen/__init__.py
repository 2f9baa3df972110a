"""deepphen: a command-line catalog manager for curated research-paper lists."""

__version__ = "0.1.0"
