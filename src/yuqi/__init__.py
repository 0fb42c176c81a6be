"""Yuqi (预期): customer expectation management for customer-service and call centres.

Comments cite their sources by a key in brackets (``[seed-003]``): see ``docs/sources.md``.
"""

__version__ = "0.1.0"
