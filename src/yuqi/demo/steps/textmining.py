"""The demo step of text mining: analyse every demo complaint, let handlers confirm ~60 % of
the categories, train model version 1 and re-analyse with it, find the last 30 days' themes.

Deterministic: the labelled complaints are every first three of five (by id), and a label is
the ticket's own complaint category mapped to the taxonomy where the keyword rules agree with
it; where they disagree the rules' category is taken (the text is what the classifier reads),
and a ticket neither gives a category to is left unlabelled. The labels go through
``textmining.services.label_correct``, as a handler's would (so ``corrected`` is set where the
label differs from the prediction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from yuqi.core.clock import now
from yuqi.domain.text.taxonomy import OTHER, classify_by_rules

#: complaint category code (complaints/defaults.py) → expectation taxonomy root
CATEGORY_TO_TAXONOMY = {
    "network": "quality",
    "network-coverage": "quality",
    "network-speed": "quality",
    "network-voice": "quality",
    "broadband": "quality",
    "billing": "billing",
    "billing-unexpected": "billing",
    "billing-plan": "billing",
    "billing-dispute": "billing",
    "service-change": "billing",
    "attitude": "attitude",
    "privacy": "privacy",
    "privacy-leak": "privacy",
}
HANDLER = "wangqiang"  # the demo supervisor confirms the labels


@dataclass(frozen=True)
class DemoText:
    analysed: int
    labelled: int
    model_version: int | None
    accuracy: float | None
    macro_f1: float | None
    themes: int


def demo_label(text: str, category: str) -> str | None:
    """The handler's label of a demo ticket (see the module docstring)."""
    hits = [hit.code for hit in classify_by_rules(text, top_level=True)]
    mapped = CATEGORY_TO_TAXONOMY.get(category)
    if mapped and (not hits or mapped in hits[:2]):
        return mapped
    if hits and hits[0] != OTHER:
        return hits[0]
    return mapped


def load_demo_text(*, days: int = 30) -> DemoText:
    from yuqi.complaints.facade import complaint_ids, complaint_texts
    from yuqi.textmining.selectors import masked_texts
    from yuqi.textmining.services import (
        analysis_backfill,
        analysis_rerun,
        label_correct,
        model_train_now,
        theme_run,
    )

    analysed = analysis_backfill()
    handler = get_user_model().objects.filter(username=HANDLER).first()
    ids = [pk for index, pk in enumerate(complaint_ids()) if index % 5 < 3]
    texts = complaint_texts(ids)
    masked = masked_texts(ids)  # read once: the labels do not change the analyses
    moment = now()
    labels = 0
    for pk in ids:
        if pk not in texts or pk not in masked:
            continue
        code = demo_label(masked[pk], texts[pk].category)
        if code:
            label_correct(complaint_id=pk, code=code, by=handler)
            labels += 1
    version = accuracy = macro_f1 = None
    try:
        # the folds of its cross-validation on the second core (forked), while this process
        # fits the whole model: the same fits, so the same model and scores
        model = model_train_now(by=handler, reanalyse=False, n_jobs=2)
    except Exception:  # too few labels on a tiny demo: the rules stay in charge
        model = None
    if model is not None and model.metrics:
        version = model.version
        accuracy = model.metrics.get("accuracy")
        macro_f1 = model.metrics.get("macro_f1")
        analysis_rerun(open_only=False)
    today = moment.date()
    run = theme_run(date_from=today - dt.timedelta(days=days), date_to=today, by=handler)
    return DemoText(analysed, labels, version, accuracy, macro_f1, len(run.themes))
