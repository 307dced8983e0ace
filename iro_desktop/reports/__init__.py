"""Service statistics: the IRO's own figures and the annual report's tables."""
