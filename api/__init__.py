"""The JSON API under /api/v1/ for the desk's other tools, and the personal tokens it takes.

A thin layer: every write calls the same service functions as the web views. Nothing imports
this package.
"""
