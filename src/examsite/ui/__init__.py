"""The window (PySide6): the only layer that imports Qt."""
