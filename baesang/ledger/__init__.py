"""The double-entry fund ledger: accounts, append-only transfers, verification."""
