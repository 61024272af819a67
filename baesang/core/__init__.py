"""Shared pieces of baesang: the audit log, domain errors, database helpers and the commands
that wrap the pure engines of ``baesang.calc``."""
