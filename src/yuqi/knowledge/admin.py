from django.contrib import admin

from yuqi.knowledge.models import Article, ArticleVersion, Category, SynonymGroup


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "parent", "topic", "order")
    search_fields = ("code", "name", "name_en")


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("words", "active", "note")
    list_filter = ("active",)
    search_fields = ("words",)


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("number", "title", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Metadata only: content and workflow go through the knowledge pages (versions, review)."""

    list_display = ("__str__", "kind", "status", "audience", "category", "review_by")
    list_filter = ("kind", "status", "audience", "category")
    fields = (
        "kind",
        "status",
        "category",
        "audience",
        "tiers",
        "topics",
        "outcomes",
        "expectations",
        "complainer_types",
        "owner",
        "review_by",
        "effective_from",
        "effective_until",
    )
    readonly_fields = ("kind", "status")
    inlines = [VersionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        from yuqi.knowledge.services import index_article

        index_article(obj)
