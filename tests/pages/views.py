"""Test-only views: a lesson page using the offline markup contract, and its "mark as read"."""

from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.views.decorators.http import require_POST

# What the stand-in server received, in order (the live server runs in this process).
MARKED: list[str] = []
# Lesson openings the service worker sent again after they were read offline.
REPLAYED_OPENINGS: list[str] = []

LESSON = """{% extends "base.html" %}
{% block title %}第七课 拍好商品图 · {% endblock %}
{% block content %}
<article data-offline-save data-offline-progress>
  <h1>第七课 拍好商品图</h1>
  <p id="lesson-text">自然光下拍摄脐橙，背景要干净。</p>
</article>
<form method="post" action="/test-pages/mark/" data-offline-queue>{% csrf_token %}
  <input type="hidden" name="lesson" value="7">
  <button type="submit" class="button">标记为已读</button>
</form>
<form method="post" action="/test-pages/quiz/" data-needs-network>{% csrf_token %}
  <label for="answer">答案</label><input id="answer" name="answer">
  <button type="submit" class="button" id="quiz-submit">提交答案</button>
</form>
{% endblock %}"""


def lesson(request):
    if request.headers.get("X-Offline-Replay"):
        REPLAYED_OPENINGS.append(request.get_full_path())
    return HttpResponse(engines["django"].from_string(LESSON).render({}, request))


@require_POST
def mark(request):
    MARKED.append(request.POST.get("lesson", ""))
    return HttpResponseRedirect("/test-pages/lesson/?marked=1")
