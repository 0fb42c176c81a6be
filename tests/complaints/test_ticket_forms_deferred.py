"""The ticket page's action forms are built only when their drawing is not kept
(``yuqi.core.form_html.DeferredForm``): each says what its drawing reads beyond its class and
arguments, the kept drawing is the built form's, and new choices are drawn at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from yuqi.complaints import book_views, ticket_supervisor
from yuqi.complaints import forms as f
from yuqi.complaints.models import ComplaintCategory, ComplaintLevel, RootCause
from yuqi.core import form_html
from yuqi.core.form_html import DeferredForm

HOSTILE = "<script>alert(1)</script> {{ x }} =1+1"

#: Each form the ticket page draws, with the initial values and arguments it is given there.
LOOKS = [
    (f.EscalateForm, {"version": 3}, {"current_rank": 1}),
    (f.AssignForm, {"version": 3, "owner": ""}, {}),
    (f.ConfirmTypeForm, {"version": 3, "complainer_type": "rational"}, {}),
    (f.AgreementForm, {"version": 3, "solution": HOSTILE, "accepted": None}, {}),
    (f.RecoveryForm, {"version": 3}, {}),
    (f.CallbackForm, {"version": 3}, {}),
    (f.CloseForm, {"version": 3, "root_cause": ""}, {}),
    (book_views.NoteForm, {}, {}),
    (book_views.ContactForm, {}, {}),
    (book_views.AppealForm, {"received_on": dt.date(2026, 12, 9)}, {}),
    (book_views.SeniorForm, {}, {}),
    (book_views.RetentionForm, {}, {}),
    (ticket_supervisor.ReopenForm, {"version": 3}, {"state": "closed"}),
    (
        ticket_supervisor.DetailsForm,
        {"version": 3, "category": "", "channel": "phone", "account": HOSTILE, "demand": HOSTILE},
        {},
    ),
]


@pytest.mark.parametrize(("cls", "initial", "arguments"), LOOKS, ids=lambda v: str(v)[:30])
def test_the_kept_drawing_is_the_built_forms_in_both_languages(db, cls, initial, arguments):
    assert "draw_key" in cls.__dict__  # keyed without building it
    form_html.forget()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            built = cls(initial=initial, **arguments).as_div()
            first = DeferredForm(cls, initial=initial, **arguments)
            assert form_html.form_as_div(first) == built
            kept = DeferredForm(cls, initial=dict(initial), **arguments)
            assert form_html.form_as_div(kept) == built
            assert kept._form is None  # drawn from the kept HTML
    assert "<script>" not in built


def test_escaped_customer_text_in_the_details_and_agreement_forms(db):
    form_html.forget()
    for cls, initial, arguments in LOOKS:
        if cls in (f.AgreementForm, ticket_supervisor.DetailsForm):
            drawn = str(form_html.form_as_div(DeferredForm(cls, initial=initial, **arguments)))
            assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} =1+1" in drawn
            assert "<script>" not in drawn


def test_new_levels_causes_categories_and_users_are_drawn_at_once(db):
    form_html.forget()

    def drawn(cls, **arguments):
        return str(form_html.form_as_div(DeferredForm(cls, initial={"version": 1}, **arguments)))

    before = {cls: drawn(cls) for cls in (f.AssignForm, f.CloseForm, ticket_supervisor.DetailsForm)}
    escalate = drawn(f.EscalateForm, current_rank=0)
    top = max(ComplaintLevel.objects.values_list("rank", flat=True))
    ComplaintLevel.objects.create(code="board-x", name="董事会", name_en="Board", rank=top + 1)
    RootCause.objects.create(code="cause-x", name="新原因", name_en="New cause")
    ComplaintCategory.objects.create(code="cat-x", name="新类别", name_en="New category")
    UserFactory(username="zz-new", display_name="新人", roles=["manager"])
    assert "董事会" not in escalate
    assert "董事会" in drawn(f.EscalateForm, current_rank=0)
    assert "董事会" not in drawn(f.EscalateForm, current_rank=top + 1)
    after = {
        f.AssignForm: ("新人", drawn(f.AssignForm)),
        f.CloseForm: ("新原因", drawn(f.CloseForm)),
        ticket_supervisor.DetailsForm: ("新类别", drawn(ticket_supervisor.DetailsForm)),
    }
    for cls, (name, html) in after.items():
        assert name in html
        assert name not in before[cls]
    assert "新人" in str(form_html.form_as_div(DeferredForm(book_views.SeniorForm)))
