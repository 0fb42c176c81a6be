"""Django's start-up leaves the scientific stack unloaded; the WSGI module loads it.

Every ``yuqi`` command that starts Django (``manage``, the worker, ``demo``) paid about 1.5 s
for scikit-learn, SciPy's statistics and optimiser and OR-Tools (with pandas) before they were
imported where first needed; a preloaded web server imports them in ``yuqi.config.wsgi`` so
that no request pays for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("scipy.stats", "scipy.optimize", "scipy.integrate", "sklearn", "ortools", "pandas")


def _loaded(tmp_path, statement: str) -> list[str]:
    code = (
        f"import json, sys, django; django.setup(); {statement}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("YUQI_") and key != "DATABASE_URL"
    }
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_starting_django_imports_none_of_the_scientific_stack(tmp_path):
    assert _loaded(tmp_path, "pass") == []


def test_the_wsgi_module_imports_all_of_it_for_a_preloaded_server(tmp_path):
    assert _loaded(tmp_path, "import yuqi.config.wsgi") == sorted(HEAVY)


def test_erlang_reads_scipy_special_on_first_use(tmp_path):
    statement = (
        "from yuqi.domain import erlang; "
        "p = erlang.erlang_c(agents=10, traffic=8, aht_seconds=180, target_seconds=20); "
        "assert type(erlang.special).__name__ == 'module', erlang.special; "
        "assert round(p.waiting_probability, 6) == 0.40918, p"
    )
    assert _loaded(tmp_path, statement) == []
