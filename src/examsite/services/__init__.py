"""Use cases: each takes the ``Database`` (a unit of work per action) and returns plain
frozen dataclasses, never ORM objects. No Qt here."""
