"""Database: models, the store, and migrations."""
