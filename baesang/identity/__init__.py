"""Identity resolution (동일인 식별): which records of victims are one person.

The engine modules here (``names``, ``dates``, ``gazetteer``, ``features``, ``model``,
``records``, ``synthetic``) import nothing from Django; the Django app exists only to
hold the ``match`` management command. The public API is in ``baesang.identity.model``.
"""
