"""Reads of the merchants app, one module per concept. Each function runs a fixed number of
queries whatever the number of merchants, shops or reports; every figure is an aggregate
computed by the database.

- `figures`: money rounding and which lifecycle stages a figure counts
- `graduation`: who may graduate, and what is missing
- `shops`: a merchant's own shops and sales, and the public directory
- `dashboard`: the county dashboard (KPIs against targets, funnel, townships, trends)
"""
