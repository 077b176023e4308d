"""Reads of the cooperatives app, one module per concept, each in a fixed number of queries:

- `access`: who may keep which cooperative's ledger and see which households
- `ledger`: a cooperative's members and entries, and the income of households
- `report`: the poverty-alleviation report and the cooperatives' coverage of the townships
"""
