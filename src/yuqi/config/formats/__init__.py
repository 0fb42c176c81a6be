"""Yuqi's own locale formats (``FORMAT_MODULE_PATH``), read before Django's."""
