"""Letters to children: composition, child-friendly words, readability, pictures and PDF."""
