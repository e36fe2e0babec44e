"""The demo data behind `make run`: `flask --app wsgi seed-demo [--if-empty]` (see demo.cli).

It sits beside the runtime package, not inside it: demo imports honours (and drives its real services), honours
never imports demo. The command reaches `flask` through the "flask.commands" entry point in pyproject.toml.
"""
