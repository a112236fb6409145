"""Data files of the training modules (read with importlib.resources)."""
