from django.contrib import admin

from articles.models import Article, Paragraph, Source


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "source", "status", "published_at", "updated_at"]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    search_fields = ["headline"]
    readonly_fields = ["guid", "version", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "source", "publisher", "dateline"]}),
        ("النشر", {"fields": ["status", "published_at"]}),
        ("الصورة", {"fields": ["image", "image_caption"]}),
        ("بيانات الاستيراد", {"fields": ["guid", "version", "created_at", "updated_at"]}),
    ]
    inlines = [ParagraphInline]
