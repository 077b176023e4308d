"""Mobile phone numbers: typed the way villagers type them, stored in E.164."""

from functools import lru_cache

import phonenumbers

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"
INVALID_PHONE = _("Enter a valid mobile phone number, for example 13800138000.")


def normalise_phone(value: str) -> str:
    """Return the E.164 form of a mobile number ("13800138000" -> "+8613800138000").

    Raises ValidationError with a message for the person when it is not a valid mobile number.
    """
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)
def display_phone(value: str) -> str:
    """A number as people read it at home: national format for Chinese numbers. A pure function
    of the stored number, remembered per process: listings show dozens a page, and parsing
    each with the numbering plan's metadata cost more than the rest of a row."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
