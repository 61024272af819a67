"""Courts, debtor companies, judgments, persons (victims and heirs), documents, claim holders."""
