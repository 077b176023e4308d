"""A small structural check of a page's HTML (no validator is installed): tags closed in order,
unique ids, one h1 and no skipped heading level, images with alt, width and height, every
field labelled."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_CLOSE = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.ids, self.headings, self.labels, self.fields = [], [], set(), [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "img":
            for needed in ("alt", "width", "height"):
                if needed not in attrs:
                    self.problems.append(f"<img> without {needed}: {attrs.get('src')}")
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.fields.append(attrs.get("id"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_CLOSE:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
            return
        self.stack.pop()


def problems(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    found = list(checker.problems)
    if [tag for tag in checker.stack if tag not in OPTIONAL_CLOSE]:
        found.append(f"unclosed: {checker.stack}")
    if checker.headings.count(1) != 1:
        found.append(f"{checker.headings.count(1)} h1")
    for previous, current in zip(checker.headings, checker.headings[1:], strict=False):
        if current > previous + 1:
            found.append(f"heading h{current} after h{previous}")
    found += [f"field {field} has no label" for field in checker.fields if field not in checker.labels]
    return found
