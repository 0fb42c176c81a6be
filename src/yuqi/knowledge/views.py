"""Knowledge pages for agents and editors, and the public help centre (/help/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import public, requires
from yuqi.core.errors import DomainError
from yuqi.knowledge import selectors, services
from yuqi.knowledge.choices import (
    AGENT_FEEDBACK,
    ArticleKind,
    ArticleStatus,
    SearchChannel,
    UseKind,
)
from yuqi.knowledge.forms import ArticleForm
from yuqi.knowledge.models import Article, ArticleVersion, Category
from yuqi.knowledge.rendering import render_markdown

VIEW = "knowledge.view_article"
ADD = "knowledge.add_article"
EDIT = "knowledge.change_article"
PUBLISH = "knowledge.publish_article"
HEALTH = "knowledge.view_knowledge_health"
MAX_QUERY = 2000


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@requires(VIEW)
def article_list(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "")[:MAX_QUERY]
    kind = request.GET.get("kind") or None
    if kind not in ArticleKind.values:
        kind = None
    category = _int(request.GET.get("category"))
    results = None
    if query.strip():
        found = selectors.ranking(query, limit=20, kind=kind, category=category)
        services.search_log(
            query=query, channel=SearchChannel.AGENT, results=found.results, quality=found.quality
        )
        results = selectors.hits(found.results)
    may_edit = request.user.has_perm(EDIT)
    pending = []
    if may_edit:
        pending = list(
            Article.objects.filter(status__in=(ArticleStatus.DRAFT, ArticleStatus.REVIEW))
            .select_related("latest_version")
            .order_by("status", "-updated_at")[:50]
        )
    published = []
    if results is None:
        published = selectors.hits([(pk, 0.0) for pk in sorted(selectors.visible_articles())[:200]])
    return render(
        request,
        "knowledge/list.html",
        {
            "q": query,
            "kind": kind or "",
            "category": category,
            "kinds": ArticleKind.choices,
            "categories": Category.objects.all(),
            "results": results,
            "published": published,
            "pending": pending,
            "may_add": request.user.has_perm(ADD),
            "may_import": request.user.has_perms((ADD, "imports.add_importrun")),
        },
    )


def _article(article_id: int) -> Article:
    return get_object_or_404(
        Article.objects.select_related(
            "published_version", "latest_version", "category", "owner", "approved_by"
        ),
        pk=article_id,
    )


@requires(VIEW)
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    may_edit = request.user.has_perm(EDIT)
    if article.generated_from == "service_standards":
        from yuqi.knowledge.seed import sync_generated

        sync_generated()
        article = _article(article_id)
    meta = {f: getattr(article, f) for f in selectors._META_FIELDS}
    shown = article.published_version
    if not selectors.visible(meta):
        if not may_edit:
            raise Http404
        shown = article.latest_version
    if shown is None:
        raise Http404
    if selectors.visible(meta):
        services.article_log_use(article=article, kind=UseKind.VIEWED, by=request.user)
    versions = list(article.versions.select_related("created_by").order_by("-number"))
    return render(
        request,
        "knowledge/detail.html",
        {
            "article": article,
            "version": shown,
            "title": selectors.version_title(shown),
            "body_html": render_markdown(selectors.version_body(shown)),
            "versions": versions,
            "may_edit": may_edit and article.status != ArticleStatus.RETIRED,
            "may_publish": request.user.has_perm(PUBLISH),
            "feedback": [(k, UseKind(k).label) for k in AGENT_FEEDBACK if k != UseKind.INSERTED],
            "pending_changes": article.published_version_id
            and article.latest_version_id != article.published_version_id,
        },
    )


def _form_initial(article: Article) -> dict:
    version = article.latest_version
    assert version is not None  # every article has a first version
    return {
        "kind": article.kind,
        "title": version.title,
        "title_en": version.title_en,
        "body": version.body,
        "body_en": version.body_en,
        "tags": " ".join(version.tags or []),
        "category": article.category_id,
        "audience": article.audience,
        "tiers": " ".join(article.tiers or []),
        "topics": " ".join(article.topics or []),
        "outcomes": " ".join(article.outcomes or []),
        "review_by": article.review_by,
        "effective_from": article.effective_from,
    }


def _save(request: HttpRequest, form: ArticleForm, article: Article | None) -> Article:
    data = form.cleaned_data
    lists = form.lists()
    content = services.Content(
        title=data["title"],
        title_en=data["title_en"],
        body=data["body"],
        body_en=data["body_en"],
        tags=tuple(lists["tags"]),
    )
    meta = {
        "category": data["category"],
        "audience": data["audience"],
        "tiers": lists["tiers"],
        "topics": lists["topics"],
        "outcomes": lists["outcomes"],
        "review_by": data["review_by"],
        "effective_from": data["effective_from"],
    }
    if article is None:
        return services.article_create(by=request.user, kind=data["kind"], content=content, **meta)
    services.article_set_meta(by=request.user, article=article, **meta)
    return services.article_update(
        by=request.user, article=article, content=content, note=data["note"]
    )


@requires(ADD)
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = _save(request, form, None)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("knowledge:detail", article_id=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": None})


@requires(EDIT)
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    if article.status == ArticleStatus.RETIRED or article.generated_from:
        raise PermissionDenied
    form = ArticleForm(request.POST or None, initial=_form_initial(article))
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, article)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect("knowledge:detail", article_id=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": article})


@requires(EDIT)
@require_POST
def article_workflow(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    action = request.POST.get("action")
    steps = {
        "submit": services.article_submit,
        "approve": services.article_approve,
        "reject": services.article_reject,
        "retire": services.article_retire,
    }
    step = steps.get(action or "")
    if step is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            step(by=request.user, article=article)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
    return redirect("knowledge:detail", article_id=article.pk)


@requires(VIEW)
def article_diff(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    if not request.user.has_perm(EDIT) and not article.published_version_id:
        raise Http404
    numbers = sorted(article.versions.values_list("number", flat=True))
    newer = _int(request.GET.get("to")) or (numbers[-1] if numbers else None)
    older = _int(request.GET.get("from")) or (newer - 1 if newer else None)
    if older is None or newer is None:
        raise Http404
    a = ArticleVersion.objects.filter(article=article, number=older).first()
    b = ArticleVersion.objects.filter(article=article, number=newer).first()
    if a is None or b is None:
        raise Http404
    return render(
        request,
        "knowledge/diff.html",
        {"article": article, "older": a, "newer": b, "lines": selectors.version_diff(a, b)},
    )


@requires(VIEW)
@require_POST
def article_feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    """One click from a suggestion or the article page; answers a small fragment (htmx)."""
    article = _article(article_id)
    kind = request.POST.get("kind", "")
    meta = {f: getattr(article, f) for f in selectors._META_FIELDS}
    if kind not in AGENT_FEEDBACK or not selectors.visible(meta):
        return HttpResponse(_("Not recorded."), status=400)
    services.article_log_use(
        article=article,
        kind=kind,
        by=request.user,
        complaint_id=_int(request.POST.get("complaint_id")),
        customer_id=_int(request.POST.get("customer_id")),
    )
    if request.headers.get("HX-Request"):
        return HttpResponse(
            _("Recorded: %(what)s") % {"what": UseKind(kind).label}, content_type="text/plain"
        )
    messages.success(request, _("Thank you: recorded."))
    return redirect("knowledge:detail", article_id=article.pk)


@requires(HEALTH)
def health(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/health.html",
        {
            "gaps": selectors.gap_queries(),
            "good_quality": int(selectors.GOOD_QUALITY * 100),
            "uncovered_categories": selectors.uncovered_categories(),
            "uncovered_c": selectors.uncovered_c_grade(),
            "past_review": selectors.past_review(),
            "most_used": selectors.most_used(),
            "least_helpful": selectors.least_helpful(),
        },
    )


# --- the public help centre ---------------------------------------------------------------


def _help_language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or ""
    if lang not in ("en", "zh-hans"):
        lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh-hans"
    return lang


@public
def help_home(request: HttpRequest) -> HttpResponse:
    from django.utils import translation

    lang = _help_language(request)
    query = (request.GET.get("q") or "")[:MAX_QUERY]
    with translation.override(lang):
        results = None
        if query.strip():
            found = selectors.ranking(query, limit=10, public=True)
            services.search_log(
                query=query,
                channel=SearchChannel.PUBLIC,
                results=found.results,
                quality=found.quality,
            )
            results = selectors.hits(found.results)
        listing = selectors.hits(
            [(pk, 0.0) for pk in sorted(selectors.visible_articles(public=True))]
        )
        response = render(
            request,
            "knowledge/help/home.html",
            {"q": query, "results": results, "articles": listing, "lang": lang},
        )
    return response


@public
def help_article(request: HttpRequest, article_id: int) -> HttpResponse:
    from django.utils import translation

    lang = _help_language(request)
    article = get_object_or_404(Article.objects.select_related("published_version"), pk=article_id)
    meta = {f: getattr(article, f) for f in selectors._META_FIELDS}
    if not selectors.visible(meta, public=True):
        raise Http404
    with translation.override(lang):
        version = article.published_version
        assert version is not None  # visible
        return render(
            request,
            "knowledge/help/article.html",
            {
                "article": article,
                "title": selectors.version_title(version),
                "body_html": render_markdown(selectors.version_body(version)),
                "lang": lang,
                "answered": request.GET.get("answered"),
            },
        )


@public
@require_POST
def help_answered(request: HttpRequest, article_id: int) -> HttpResponse:
    """ "Did this answer your question?" — counted, no personal data kept."""
    article = get_object_or_404(Article.objects.select_related("published_version"), pk=article_id)
    meta = {f: getattr(article, f) for f in selectors._META_FIELDS}
    if not selectors.visible(meta, public=True):
        raise Http404
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        return HttpResponse(status=400)
    kind = UseKind.PUBLIC_YES if answer == "yes" else UseKind.PUBLIC_NO
    services.article_log_use(article=article, kind=kind)
    lang = _help_language(request)
    return redirect(f"/help/a/{article.pk}/?lang={lang}&answered={answer}")
