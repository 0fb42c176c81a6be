"""A filter form drawn once per distinct look: same HTML as drawing it, redrawn when it differs."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils import translation

from yuqi.core import form_html


class Filters(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=5)
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All"), *teams]


def test_the_kept_html_is_the_drawn_html_for_each_look():
    form_html.forget()
    looks = [
        Filters(),
        Filters(QueryDict("q=ab&team=1"), teams=[("1", "One")]),
        Filters(QueryDict("q=toolong"), teams=[("1", "One")]),  # with its error message
        Filters(QueryDict("q=<b>"), teams=[("1", "One"), ("2", "Two")]),
    ]
    for form in looks:
        assert form_html.form_as_div(form) == form.as_div()
        again = Filters(form.data if form.is_bound else None, teams=form.fields["team"].choices[1:])
        assert form_html.form_as_div(again) == form.as_div()
    assert len(form_html._drawn) == len(looks)


def test_new_choices_and_another_language_draw_again():
    form_html.forget()
    first = form_html.form_as_div(Filters(teams=[("1", "One")]))
    second = form_html.form_as_div(Filters(teams=[("1", "One"), ("2", "Two")]))
    assert "Two" not in first
    assert "Two" in second
    with translation.override("en"):
        form_html.form_as_div(Filters())
    with translation.override("zh-hans"):
        form_html.form_as_div(Filters())
    assert len(form_html._drawn) == 4


def test_only_the_latest_looks_are_kept(monkeypatch):
    form_html.forget()
    monkeypatch.setattr(form_html, "MAX_ENTRIES", 3)
    for n in range(5):
        form_html.form_as_div(Filters(QueryDict(f"q={n}")))
    assert len(form_html._drawn) == 3


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, extra=(), rows=2, **kwargs):
        super().__init__(*args, **kwargs)
        for name in extra:  # fields added per instance, as the ticket's checklist does
            self.fields[name] = forms.BooleanField(label=name.title(), required=False)
        self.fields["note"] = forms.CharField(widget=forms.Textarea(attrs={"rows": rows}))


def test_fields_and_widget_attributes_set_per_form_are_part_of_the_look():
    form_html.forget()
    looks = [
        Versioned(initial={"version": 3}),
        Versioned(initial={"version": 4}),
        Versioned(initial={"version": 3}, extra=["called"]),
        Versioned(initial={"version": 3}, extra=["written"]),
        Versioned(initial={"version": 3}, rows=5),
    ]
    drawn = [form_html.form_as_div(form) for form in looks]
    assert drawn == [form.as_div() for form in looks]
    assert len(set(drawn)) == len(looks)


def test_the_template_filter_draws_the_form_and_nothing_for_none():
    from django.template import Context, Template

    template = Template("{% load form_html %}{{ form|as_div_kept }}|{{ missing|as_div_kept }}")
    form = Versioned(initial={"version": 7})
    assert template.render(Context({"form": form})) == f"{form.as_div()}|"


def test_grouped_choices_are_part_of_the_look():
    form_html.forget()
    grouped = [("", "All"), ("North", [("1", "One"), ("2", "Two")])]
    first = Filters(teams=grouped[1:])
    second = Filters(teams=[("South", [("1", "One")])])
    assert form_html.form_as_div(first) == first.as_div()
    assert form_html.form_as_div(second) == second.as_div()
    assert "South" in form_html.form_as_div(second)


FIELD_LOOP = (
    '{% for field in form %}{% if field.name != "notes" %}'
    '<div class="field field-{{ field.name }}">'
    "{{ field.label_tag }} {{ field }}{{ field.errors }}</div>{% endif %}{% endfor %}"
)


class Logged(forms.Form):
    channel = forms.ChoiceField(label="Channel <b>", choices=[("phone", "Phone"), ("web", "Web")])
    minutes = forms.IntegerField(label="Minutes", required=False, min_value=0)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


def test_field_divs_draw_what_the_template_loop_drew_in_both_languages():
    """The 360's "log a contact" laid its fields out with a template loop; the kept drawing
    is that loop's HTML, unbound and bound (with an error), in Chinese and English."""
    from django.template import Context, Template

    loop = Template(FIELD_LOOP)
    form_html.forget()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for form in (Logged(), Logged(QueryDict("channel=fax&minutes=-1"))):
                expected = loop.render(Context({"form": form}))
                assert str(form_html.field_divs(form, "notes")) == expected
                assert str(form_html.field_divs(form, "notes")) == expected  # kept or redrawn
    assert "Channel &lt;b&gt;" in expected
    assert "errorlist" in expected  # the bound form's errors are drawn


def test_field_divs_keep_unbound_forms_only():
    form_html.forget()
    form_html.field_divs(Logged(), "notes")
    form_html.field_divs(Logged(QueryDict("channel=fax")), "notes")
    assert len(form_html._drawn) == 1
    kept = form_html.field_divs(Logged(), "notes")
    assert 'class="field field-notes"' not in kept
    assert 'class="field field-notes"' in form_html.field_divs(Logged())


def test_only_field_divs_draw_what_the_notes_line_drew():
    """The 360's notes, set apart from the other fields: what its template line drew, unbound
    (kept) and bound (with an error, redrawn), with the non-field errors drawn only when
    there are some."""
    from django.template import Context, Template

    line = Template(
        "{{ form.non_field_errors }}|"
        '<div class="field field-notes">{{ form.notes.label_tag }} {{ form.notes }}'
        "{{ form.notes.errors }}</div>"
    )
    kept = Template(
        "{% load form_html %}{% if form.non_field_errors %}{{ form.non_field_errors }}{% endif %}|"
        '{{ form|only_field_divs_kept:"notes" }}'
    )

    class Noted(Logged):
        def clean(self):
            if self.data.get("notes") == "both":
                raise forms.ValidationError("Not both <b>")
            return super().clean()

    form_html.forget()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for form in (
                Noted(),
                Noted(QueryDict("channel=phone&notes=" + "x" * 3)),
                Noted(QueryDict("channel=phone&notes=both")),
            ):
                expected = line.render(Context({"form": form}))
                assert kept.render(Context({"form": form})) == expected
                assert kept.render(Context({"form": form})) == expected
    assert "Not both &lt;b&gt;" in expected
    assert len(form_html._drawn) == 2  # the unbound form, once per language


class Teams(Filters):
    """A form that says what its drawing reads beyond its class and arguments."""

    built = 0

    def __init__(self, *args, **kwargs):
        Teams.built += 1
        super().__init__(*args, teams=TEAMS, **kwargs)

    @classmethod
    def draw_key(cls):
        return form_html.choices_key(TEAMS)


TEAMS: list[tuple[str, str]] = []


class TeamsUnsaid(Teams):
    """Inherits ``draw_key`` without saying what it reads itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = "Said nowhere"


def test_a_deferred_form_draws_the_built_form_and_is_built_only_when_not_kept(monkeypatch):
    form_html.forget()
    monkeypatch.setattr(Teams, "built", 0)
    TEAMS[:] = [("1", "<One>")]
    initial = {"q": "{{ x }} <script>"}
    deferred = form_html.DeferredForm(Teams, initial=initial)
    drawn = form_html.form_as_div(deferred)
    assert drawn == Teams(initial=initial).as_div()
    assert "&lt;script&gt;" in drawn
    assert "<script>" not in drawn
    assert "&lt;One&gt;" in drawn
    built = Teams.built
    again = form_html.DeferredForm(Teams, initial=dict(initial))
    assert form_html.form_as_div(again) == drawn
    assert Teams.built == built  # kept: not built
    assert again._form is None
    TEAMS.append(("2", "Two"))  # new choices: a new key, drawn again
    assert "Two" in form_html.form_as_div(form_html.DeferredForm(Teams, initial=initial))
    with translation.override("en"):
        form_html.form_as_div(form_html.DeferredForm(Teams, initial=initial))
    other = form_html.DeferredForm(Teams, initial={"q": "other"})
    assert 'value="other"' in form_html.form_as_div(other)
    TEAMS.clear()


def test_a_deferred_form_whose_class_does_not_say_what_it_reads_is_built_and_keyed():
    form_html.forget()
    TEAMS[:] = [("1", "One")]
    deferred = form_html.DeferredForm(TeamsUnsaid)
    assert deferred.key() is None
    assert "Said nowhere" in form_html.form_as_div(deferred)
    assert deferred._form is not None
    TEAMS.clear()


def test_the_template_filter_draws_a_deferred_form():
    from django.template import Context, Template

    TEAMS[:] = [("1", "One")]
    template = Template("{% load form_html %}{% if form %}{{ form|as_div_kept }}{% endif %}")
    deferred = form_html.DeferredForm(Teams, initial={"q": "a"})
    assert template.render(Context({"form": deferred})) == Teams(initial={"q": "a"}).as_div()
    TEAMS.clear()


class Promised(forms.Form):
    at = forms.DateTimeField(label="Promised by")

    @classmethod
    def draw_key(cls):
        return ()


def test_a_deferred_form_with_a_time_is_drawn_in_each_time_zone():
    import datetime as dt

    from django.utils import timezone

    form_html.forget()
    initial = {"at": dt.datetime(2026, 12, 7, 16, 5, tzinfo=dt.UTC)}
    drawn = {}
    for zone in ("UTC", "Asia/Shanghai"):
        with timezone.override(zone):
            drawn[zone] = form_html.form_as_div(form_html.DeferredForm(Promised, initial=initial))
            assert drawn[zone] == Promised(initial=initial).as_div()
    assert drawn["UTC"] != drawn["Asia/Shanghai"]
