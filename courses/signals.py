"""Signals that higher apps (mentors) listen to; courses never imports them."""

from django.dispatch import Signal

# Sent after commit-safe changes inside the service: kwargs `submission`.
task_submitted = Signal()
task_reviewed = Signal()
course_completed = Signal()  # kwargs `enrollment`
