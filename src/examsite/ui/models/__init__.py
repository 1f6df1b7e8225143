"""Table models (``QAbstractTableModel``) for the pages."""
