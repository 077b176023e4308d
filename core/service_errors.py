"""A service's refusal shown on the form that asked for the change.

Services raise `ValidationError` with messages people read; a view catches it and calls
`add_service_errors(form, error)`, so the message sits on the field it names (when the form has
that field) or above the form, and everything typed stays in the form.
"""

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put `error`'s messages on `form`: each on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
