"""Small Qt-free helpers shared by the app, the CLI and headquarters.

The bottom layer: it imports nothing else of ``inspector_app`` (pyproject.toml's import-linter
contracts check that), and this ``__init__`` stays empty so importing one helper loads no other.
"""
