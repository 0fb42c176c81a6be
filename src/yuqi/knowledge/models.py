"""Articles (answers, procedures, 口径, scripts, playbooks), their versions, the search index,
the synonym table, use and feedback, and the search log (the gap list's source).

An article's *metadata* (kind, category, audience, tiers, owner, review date, effective dates,
workflow status) lives on :class:`Article` and takes effect at once; its *content* (titles,
bodies, tags) lives in numbered :class:`ArticleVersion` rows. Readers see the
``published_version``; an edit makes a new version that goes through review again while the
published one stays in use.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.knowledge.choices import ArticleKind, ArticleStatus, Audience, SearchChannel, UseKind

TITLE_MAX = 200
BODY_MAX = 20_000


class Category(models.Model):
    """A node of the category tree; ``topic`` links it to a complaint taxonomy code."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    topic = models.CharField(
        _("complaint category"),
        max_length=60,
        blank=True,
        help_text=_(
            "Taxonomy code of the complaints this category answers, e.g. network.broadband"
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.name_en or self.name) if english else self.name


class Article(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ArticleKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL
    )
    tiers = models.JSONField(
        _("tiers"),
        default=list,
        blank=True,
        help_text=_("Tier codes this article may be shown for; empty: every customer."),
    )
    topics = models.JSONField(
        _("complaint categories"), default=list, blank=True, help_text=_("Taxonomy codes")
    )
    outcomes = models.JSONField(
        _("wanted outcomes"), default=list, blank=True, help_text=_("e.g. refund, repair")
    )
    expectations = models.JSONField(
        _("expectations"), default=list, blank=True, help_text=_("Expectation register codes")
    )
    complainer_types = models.JSONField(_("complainer types"), default=list, blank=True)
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable name of built-in and generated articles"),
    )
    generated_from = models.CharField(
        _("generated from"),
        max_length=40,
        blank=True,
        help_text=_("Source the body is generated from; such an article is not edited by hand"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_by = models.DateField(_("review by"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    latest_version = models.ForeignKey(
        "ArticleVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest version"),
    )
    published_version = models.ForeignKey(
        "ArticleVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("publish_article", _("Can approve, publish and retire knowledge articles")),
            ("view_knowledge_health", _("Can see the knowledge health pages")),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="knowledge_article_status")]

    def __str__(self) -> str:
        version = self.published_version or self.latest_version
        return version.title if version else f"#{self.pk}"


class ArticleVersion(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title (Chinese)"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("body (Chinese, Markdown)"), max_length=BODY_MAX)
    body_en = models.TextField(_("body (English, Markdown)"), max_length=BODY_MAX, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    note = models.CharField(_("change note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class SearchDocument(models.Model):
    """One indexed (published, in-force) article: its weighted length for BM25."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    length = models.FloatField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.length}"


class SearchPosting(models.Model):
    """Inverted index: ``term`` occurs in ``article`` with weighted frequency ``weight``."""

    term = models.CharField(max_length=40)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()
    length = models.FloatField(help_text="the article's weighted length (no join at search)")

    class Meta:
        verbose_name = _("search posting")
        verbose_name_plural = _("search postings")
        # covering: a search reads term, article, weight and length from the index alone
        # (an index-only scan on PostgreSQL, a covering index on SQLite), not from the heap
        indexes = [
            models.Index(
                fields=["term", "article", "weight", "length"], name="knowledge_posting_cover"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "term"], name="knowledge_posting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.article_id}"


class SynonymGroup(models.Model):
    """Words customers and agents use for one thing (宽带 网络 上网), edited by the centre."""

    words = models.CharField(
        _("words"), max_length=400, help_text=_("Separated by spaces or commas")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.words

    def members(self) -> list[str]:
        return [w for w in self.words.replace(",", " ").replace("，", " ").split() if w]


class ArticleUse(models.Model):
    """One logged use or feedback click (agents) or help-centre answer (customers)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="uses", verbose_name=_("article")
    )
    version = models.PositiveIntegerField(_("version"), null=True)
    kind = models.CharField(_("kind"), max_length=12, choices=UseKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    complaint_id = models.PositiveBigIntegerField(_("complaint"), null=True, blank=True)
    customer_id = models.PositiveBigIntegerField(_("customer"), null=True, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at", "kind"], name="knowledge_use_at_kind")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"


class SearchLog(models.Model):
    """A search and how good its best result was (the gap list reads the poor ones)."""

    query = models.CharField(_("query"), max_length=200)
    channel = models.CharField(_("channel"), max_length=8, choices=SearchChannel.choices)
    results = models.PositiveIntegerField(_("results"))
    top_score = models.FloatField(_("best score"), null=True)
    quality = models.FloatField(_("share of the query answered"), default=0.0)
    top_article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"], name="knowledge_search_at")]

    def __str__(self) -> str:
        return self.query
