"""The signed-in person's own area (/me/) is assembled from sections that each app registers.

A higher app adds a section with the `register_me_section` Wagtail hook: a function taking the
request and returning a MeSection, or None when it does not apply to this person.
"""

from dataclasses import dataclass

from wagtail import hooks


@dataclass
class MeSection:
    title: str
    url: str
    description: str = ""
    badge: str = ""
    order: int = 100


def sections_for(request) -> list[MeSection]:
    found = []
    for fn in hooks.get_hooks("register_me_section"):
        section = fn(request)
        if section is not None:
            found.append(section)
    return sorted(found, key=lambda section: section.order)
