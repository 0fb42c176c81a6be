"""Pure domain logic: statistics, staffing, calendars, KPI formulas, text mining.

Nothing in this package imports Django or a Yuqi app (an import-linter contract checks it),
so every function here can be used from a notebook and unit-tested on its own.

Sources are cited by author and year, or by a key in brackets (``[seed-001]``,
``[newcombe-1998b]``); every key is listed in ``docs/sources.md``.
"""
