"""Yuqi (预期): customer expectation management for customer-service and call centres."""

__version__ = "0.1.0"
