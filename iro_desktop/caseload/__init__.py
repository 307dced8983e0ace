"""Use cases on a Session: what an IRO does to their caseload. Qt-free; the GUI and CLI call these."""
