"""Staff accounts: sign-in throttling, the TOTP second factor and API tokens (Django app ``staff``)."""
