"""deepphen: a command-line catalog manager for curated research-paper lists."""

__version__ = "0.3.0.dev0"  # after 0.2.0; a release drops ".dev0" (CONTRIBUTING.md)
