"""Allow ``python -m deepphen``."""

from deepphen.launch import main

main()
