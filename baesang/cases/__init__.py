"""The lifecycle of a claim: offers, consents, payment batches, court deposits, indemnity."""
