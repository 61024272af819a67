"""baesang (배상, "reparation"): the system of record of a foundation that pays
court-ordered compensation to victims of wartime forced labour in place of the
judgment debtors (third-party performance, Civil Code Art. 469)."""

__version__ = "0.1.0"
