"""Domain logic in plain Python: no Qt here (an import-linter contract checks it)."""
