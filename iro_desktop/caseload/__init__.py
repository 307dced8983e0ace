"""Use cases on a Session: what an IRO does to the caseload. Qt-free; the GUI and CLI call them."""
