"""Sync with the center's PostgreSQL: the central schema, enrollment and (next) the engine.

No Qt here: the same code runs in `desk-app sync`, the app's sync worker and the
fault-injection tests.
"""
