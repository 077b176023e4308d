"""The home page is assembled from sections that each app registers (as /me/ is, in core.me).

An app adds a section with the `register_home_section` Wagtail hook: a function taking the
request and returning a HomeSection (a template and its context), or None when it has nothing
to show.
"""

from dataclasses import dataclass, field

from wagtail import hooks


@dataclass
class HomeSection:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def home_sections(request) -> list[HomeSection]:
    found = [
        section for section in (fn(request) for fn in hooks.get_hooks("register_home_section")) if section is not None
    ]
    return sorted(found, key=lambda section: section.order)
