"""Interchange: SSDA903 files, IRO export bundles and the manager's import."""
