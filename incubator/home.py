"""The home page's lists come from the apps that own them, through the `register_home_section`
hook: a function taking the request and returning a HomeSection (or None)."""

from dataclasses import dataclass, field

from wagtail import hooks


@dataclass
class HomeSection:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def home_lists(request) -> dict:
    sections = [s for s in (fn(request) for fn in hooks.get_hooks("register_home_section")) if s is not None]
    return {"home_sections": sorted(sections, key=lambda s: s.order)}
