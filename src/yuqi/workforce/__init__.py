"""Workforce: shift plans for the staffing that ``operations`` computes (``yuqi roster``).

Not a Django app yet: the command runs on the pure ``yuqi.domain.workforce`` modules and needs
no database. The workforce context of the coming round grows here.
"""
