"""The ticket page's leaner reads give what the reads they replaced gave: one read of the users
for the owner and senior-owner choices, the details form's categories from plain columns, the
text panel's label from the joined analysis, and the timeline's names worked out when needed
(the names from code kept per language)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint
from tests.textmining.factories import BILLING, analysed
from yuqi.complaints import book, forms, presenters
from yuqi.complaints.models import ComplaintCategory, ComplaintLevel
from yuqi.complaints.selectors import complaint_events
from yuqi.core.request_memo import request_memo


def _old_owner_choices() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [(str(u.pk), str(u)) for u in users]


def _old_senior_choices() -> list[tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=book.SENIOR_ROLES)
        .distinct()
        .order_by("username")
    )
    return [(str(u.pk), str(u)) for u in users]


def test_one_read_of_the_users_gives_the_owner_and_senior_choices(db, manager, supervisor, agent):
    UserFactory(username="nodisplay", display_name="", first_name="Ann", last_name="Lee")
    UserFactory(username="bare", display_name="", first_name="", last_name="", roles=["manager"])
    UserFactory(username="gone", display_name="Gone", roles=["supervisor"], is_active=False)
    owner = forms.AssignForm().fields["owner"].choices
    assert owner == [("", "—"), *_old_owner_choices()]
    from yuqi.complaints.book_views import SeniorForm

    senior = SeniorForm().fields["senior_owner"].choices
    assert senior == [("", "—"), *_old_senior_choices()]
    assert {name for _pk, name in senior} == {"—", "张伟", "王强", "bare"}
    with request_memo(), CaptureQueriesContext(connection) as captured:
        forms.AssignForm()
        SeniorForm()
    assert len(captured.captured_queries) == 1


def test_the_details_form_categories_equal_the_model_labels(db):
    parent = ComplaintCategory.objects.create(code="p-x", name="父类", name_en="Parent")
    ComplaintCategory.objects.create(code="c-x", name="子类", name_en="", parent=parent)
    ComplaintCategory.objects.create(code="c-y", name="", name_en="", parent=parent)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert forms.category_choices() == forms._categories()
    with translation.override("en"):
        assert ("c-x", "Parent › 子类") in forms.category_choices()


def test_the_page_shows_a_new_label_and_a_ticked_step(frozen, outbox, supervisor, as_user):
    from yuqi.textmining.services import label_correct

    complaint = analysed(by=supervisor, text=BILLING[0], level_code="over_level")
    client = as_user(supervisor)
    url = f"/complaints/{complaint.number}/"
    page = client.get(url).content.decode()
    assert "text-panel" in page
    label_correct(complaint_id=complaint.pk, code="privacy", by=supervisor)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    sql = [q["sql"] for q in captured.captured_queries]
    # the label comes with the analysis: no read of its own; the playbooks and their steps
    # are kept (yuqi.complaints.config_kept), the ticks one read of two columns
    assert not [s for s in sql if s.startswith('SELECT "textmining_complaintlabel"."id"')]
    assert not [s for s in sql if 'FROM "complaints_playbook' in s]
    ticks = [s for s in sql if 'FROM "complaints_steptick"' in s]
    assert ticks == [t for t in ticks if t.startswith('SELECT "complaints_steptick"."step_id"')]
    assert len(ticks) == 1
    assert "王强" in page.split('id="text-panel"')[1].split("</section>")[0]
    step = next(s for p in book.playbooks_for(complaint) for s in p.steps.all())
    book.complaint_tick_step(complaint=complaint, step_id=step.pk, by=supervisor)
    page = client.get(url).content.decode()
    assert f'<li data-step="{step.code}">✔ ' in page


def test_the_timeline_names_follow_the_language_and_the_levels(db, manager, frozen):
    ticket = open_complaint(by=manager, owner=manager)
    events = list(complaint_events(ticket))
    with translation.override("en"):
        english = presenters.timeline_lines(events)
    with translation.override("zh-hans"):
        chinese = presenters.timeline_lines(events)
    assert english[0].label == "Opened"
    assert chinese[0].label != "Opened"
    level = ComplaintLevel.objects.get(code="local")
    assert level.label in chinese[0].text
    level.name = "本地抱怨（新名）"
    level.save()
    with translation.override("zh-hans"):
        assert "本地抱怨（新名）" in presenters.timeline_lines(events)[0].text


def test_the_close_form_and_its_root_causes_only_where_the_ticket_may_close(
    frozen, outbox, supervisor, as_user
):
    from tests.complaints.test_workflow_services import callback, resolved
    from yuqi.complaints.models import RootCause

    client = as_user(supervisor)
    open_ticket = open_complaint(by=supervisor)
    client.get(f"/complaints/{open_ticket.number}/")  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/complaints/{open_ticket.number}/").content.decode()
    assert 'name="action" value="close"' not in page
    assert not [q for q in captured.captured_queries if 'FROM "complaints_rootcause"' in q["sql"]]
    done = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    assert done.state == "callback_done"
    page = client.get(f"/complaints/{done.number}/").content.decode()
    form = page.split('name="action" value="close"')[1].split("</form>")[0]
    for cause in RootCause.objects.filter(active=True):
        assert f'<option value="{cause.code}">{cause.label}</option>' in form


def test_the_staff_choices_statement_is_compiled_once_and_reads_new_users(db, manager):
    forms._STAFF_READ.forget()
    with request_memo():
        before = forms.staff_choices()
    assert list(forms._STAFF_READ.kept().values()) == [True]  # kept, not refused
    UserFactory(username="zz-new", display_name="新人", roles=["supervisor"])
    with request_memo():
        after = forms.staff_choices()
    assert after == [*before, (str(after[-1][0]), "新人", True)]
    assert after[:-1] == before
    assert all(isinstance(senior, bool) for _pk, _name, senior in after)
