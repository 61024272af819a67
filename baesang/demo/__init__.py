"""The demo foundation (Django app ``demo``): invented creditors and heirs over the public
judgments, loaded by ``baesang demo load`` through the same services as real work."""
