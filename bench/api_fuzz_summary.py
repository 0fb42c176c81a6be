"""Figures of a bench/api_fuzz.sh run from its NDJSON report: requests sent per phase, status
codes, failures by check, and the server log's 500s.

    .venv/bin/python bench/api_fuzz_summary.py var/api-fuzz-report/ndjson-<stamp>.ndjson
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def summary(path: Path) -> dict:
    statuses: Counter[int] = Counter()
    phases: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    phase = "?"
    for line in path.read_text().splitlines():
        event = json.loads(line)
        kind, body = next(iter(event.items()))
        if kind == "PhaseStarted":
            phase = body["phase"]["name"]
        if kind != "ScenarioFinished":
            continue
        recorder = body.get("recorder") or {}
        for interaction in (recorder.get("interactions") or {}).values():
            response = interaction.get("response")
            if response:
                statuses[response["status_code"]] += 1
                phases[phase] += 1
        for checks in (recorder.get("checks") or {}).values():
            for check in checks:
                if str(check.get("status")).lower() == "failure":
                    failures[check["name"]] += 1
    log = path.parent / "serve.log"
    server_errors = log.read_text().count("Internal Server Error") if log.exists() else None
    return {
        "requests": sum(statuses.values()),
        "requests_by_phase": dict(phases),
        "statuses": dict(sorted(statuses.items())),
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
        "failed_checks (responses)": dict(failures),
        "server_log_500s": server_errors,
    }


if __name__ == "__main__":
    print(json.dumps(summary(Path(sys.argv[1])), indent=2))
