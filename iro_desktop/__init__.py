"""IRO Desktop: caseload, statutory review dates and child-friendly letters for IROs."""

__version__ = "0.1.0"
APP_NAME = "IRO Desktop"
APP_SLUG = "iro-desktop"
