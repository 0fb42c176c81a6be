"""Workforce (排班): shift plans, rosters of named agents, adherence — pure functions.

* ``shifts``: shift templates, the requirement grid and what a shift covers per slot;
* ``plan``: how many heads on each template each day (least shortfall, then least excess);
* ``rules``: working-time rules with China's statutory defaults;
* ``roster``: named agents on the planned shifts under the rules, and an independent checker;
* ``adherence``: adherence, conformance, shrinkage and occupancy from agent-state intervals.

No Django here (import-linter contract); the web app and the CLI call these.
"""
