"""Allow ``python -m deepphen``."""

from deepphen.launch import main

# Only when run: a tool that imports every module of the package (pdoc, sphinx-apidoc,
# pkgutil.walk_packages) ran the command line with its own arguments and exited.
if __name__ == "__main__":
    main()
