"""Command-line interface: the only package that knows typer, rich and terminals.

Light on purpose: importing a submodule runs this file, and ``deepphen search`` must not pay
for typer (see deepphen.cli.search). The whole application is deepphen.cli.main.app.
"""
