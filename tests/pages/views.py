"""Test-only views: a lesson page using the offline markup contract, and its "mark as read"
(one for anybody, one for signed-in people only, as a real one would be)."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.views.decorators.http import require_POST

# What the stand-in server received, in order (the live server runs in this process).
MARKED: list[str] = []
# Lesson openings the service worker sent again after they were read offline.
REPLAYED_OPENINGS: list[str] = []
# (username, lesson) of each "mark as read" of the signed-in lesson, as the server saw it.
MARKED_BY: list[tuple[str, str]] = []

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


SIGNED_IN_LESSON = LESSON.replace("/test-pages/mark/", "/test-pages/mark-signed-in/")


def signed_in_lesson(request):
    return HttpResponse(engines["django"].from_string(SIGNED_IN_LESSON).render({}, request))


@require_POST
def mark_signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login("/test-pages/signed-in-lesson/")
    MARKED_BY.append((request.user.username, request.POST.get("lesson", "")))
    return HttpResponseRedirect("/test-pages/signed-in-lesson/?marked=1")
