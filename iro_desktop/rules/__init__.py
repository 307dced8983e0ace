"""Statutory and practice rules: pure functions of dates and facts. No database, no Qt."""
