"""The error raised for a status or stage change that its transition table does not allow."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class InvalidTransition(ValidationError):
    """A status or stage change that the transition table does not allow."""

    def __init__(self, *, current, to):
        super().__init__(
            _("Cannot change from “%(current)s” to “%(to)s”."),
            code="invalid_transition",
            params={
                "current": current.label if hasattr(current, "label") else current,
                "to": to.label if hasattr(to, "label") else to,
            },
        )
        self.current, self.to = current, to
