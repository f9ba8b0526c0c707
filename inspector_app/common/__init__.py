"""Small Qt-free helpers shared by the app, the CLI and headquarters."""
