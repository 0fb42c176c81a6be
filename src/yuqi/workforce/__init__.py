"""Workforce (排班): shift templates, plans and rosters of named agents, time-off and swap
requests, agent states from the ACD, and adherence, shrinkage and occupancy from them.

The solvers are pure (``yuqi.domain.workforce``); the CLI ``yuqi roster plan`` runs them on
files without a database.
"""
