"""One call for everything the pipeline derives from one complaint, ready to store.

``analyse_complaint(text, reference, model=None)`` masks the text first, then runs the
taxonomy rules, the classifier (when a trained model is given), expectation extraction and
the escalation signals. Only ``masked_text`` and the structured fields should be stored as
derived data; extraction spans index the masked text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from yuqi.domain.text.extract import Extraction, extract_expectation
from yuqi.domain.text.normalize import normalize
from yuqi.domain.text.signals import Signals, detect_signals
from yuqi.domain.text.taxonomy import RuleHit, Taxonomy, classify_by_rules

if TYPE_CHECKING:  # the classifier imports scikit-learn: a model comes loaded, with it
    from yuqi.domain.text.classifier import Prediction, TrainedModel

__all__ = ["ComplaintAnalysis", "analyse_complaint"]


@dataclass(frozen=True)
class ComplaintAnalysis:
    masked_text: str
    rule_hits: tuple[RuleHit, ...]
    prediction: Prediction | None
    extraction: Extraction
    signals: Signals

    @property
    def category(self) -> str:
        """The classifier's label when there is a model, else the best rule's top category."""
        if self.prediction is not None:
            return self.prediction.label
        roots = [hit.code for hit in self.rule_hits if "." not in hit.code]
        return roots[0] if roots else "other"


def analyse_complaint(
    text: str,
    reference: datetime,
    *,
    model: TrainedModel | None = None,
    taxonomy: Taxonomy | None = None,
) -> ComplaintAnalysis:
    """Everything derived from one complaint text (see the module docstring)."""
    masked = normalize(text)
    prediction = model.predict([masked])[0] if model is not None else None
    return ComplaintAnalysis(
        masked_text=masked,
        rule_hits=tuple(classify_by_rules(masked, taxonomy)),
        prediction=prediction,
        extraction=extract_expectation(masked, reference),
        signals=detect_signals(masked),
    )
