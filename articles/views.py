from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from articles.models import Article

PAGE_SIZE = 20


def article_list(request):
    """The front page: the latest published stories, newest first."""
    articles = Article.objects.published().select_related("source")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page_obj": page})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("source"), slug=slug)
    paragraphs = article.paragraphs.all()
    return render(
        request, "articles/article_detail.html", {"article": article, "paragraphs": paragraphs}
    )
