"""Public transparency pages and open data, without personal data."""
