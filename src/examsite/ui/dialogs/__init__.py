"""Dialogs the pages open: built in code, they never touch the database (the page runs the
services and hands them plain values)."""
