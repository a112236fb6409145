"""The kit's version (read by ``pyproject.toml``, recorded in saved runs and game sessions)."""

__version__ = "0.1.0"
