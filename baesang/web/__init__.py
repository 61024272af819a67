"""The staff web application (Korean by default, English switchable)."""
