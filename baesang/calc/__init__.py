"""Pure computation engines of baesang: no Django import anywhere in this package.

- ``interest``: judgment delay interest (period and total-days methods).
- ``succession``: statutory heirship by regime, exact fractions.
- ``apportion``: split whole won exactly by shares.
"""
