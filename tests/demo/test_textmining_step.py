"""The text-mining demo step labels like a handler would: through the labelling service, so a
label that differs from the prediction is stored as a correction."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint
from yuqi.complaints.models import ComplaintCategory
from yuqi.demo.steps.textmining import load_demo_text
from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel
from yuqi.textmining.models_store import forget_models

pytestmark = pytest.mark.django_db

#: (account, complaint category): the first three are labelled (every first three of five).
TICKETS = (
    ("上个月账单多扣了30元流量费，要求退还多扣的费用", "billing-unexpected"),
    ("我对这件事情非常不满意，请尽快给我一个说法", "billing-unexpected"),
    ("家里手机信号只有一格，打电话经常断线，请派人检测", "network-coverage"),
    ("话费账单莫名多收了套餐外费用，请退费", "billing-unexpected"),
    ("室内没有信号，电话打不出去，要求尽快修复网络", "network-coverage"),
)


@pytest.fixture(autouse=True)
def model_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    forget_models()
    yield tmp_path
    forget_models()


@pytest.fixture
def tickets(frozen, outbox, supervisor):
    return [
        open_complaint(
            by=supervisor,
            account=account,
            demand="",
            category=ComplaintCategory.objects.get(code=category),
        )
        for account, category in TICKETS
    ]


def test_labels_are_recorded_as_a_handler_would_with_corrections_marked(tickets, supervisor):
    result = load_demo_text()
    labels = {label.complaint_id: label for label in ComplaintLabel.objects.all()}
    assert result.labelled == len(labels) == 3
    assert set(labels) == {t.pk for t in tickets[:3]}
    predicted = dict(ComplaintAnalysis.objects.values_list("complaint_id", "category"))
    # the unclear complaint takes its category from the ticket, not from the rules
    assert labels[tickets[1].pk].code == "billing"
    assert labels[tickets[1].pk].code != predicted[tickets[1].pk]
    for label in labels.values():
        assert label.by == supervisor
        assert label.corrected == (label.code != predicted[label.complaint_id])
