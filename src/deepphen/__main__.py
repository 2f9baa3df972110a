"""Allow ``python -m deepphen``."""

from deepphen.cli import main

main()
