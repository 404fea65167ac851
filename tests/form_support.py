"""Posting a page's form as a browser does: with the hidden fields the page was opened with
(the record's version and the values as they were, chibo.core.concurrency), or with every
value the page's form holds (`filled`)."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    """The values a browser would send for the forms of a page (`hidden_only`: only the hidden
    inputs). Several values of one name (checkboxes) come as a list."""

    def __init__(self, hidden_only: bool):
        super().__init__()
        self.hidden_only = hidden_only
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if tag == "input" and name:
            if kind == "hidden":
                self._add(name, attrs.get("value") or "")
            elif self.hidden_only or kind in ("submit", "button", "file"):
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
            else:
                self._add(name, attrs.get("value") or "")
        elif not self.hidden_only and tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif self._select and tag == "option" and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")
        elif not self.hidden_only and tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data.removeprefix("\n")


def _values(html: str, *, hidden_only: bool) -> dict:
    parser = _FormValues(hidden_only)
    parser.feed(html)
    return {name: values if len(values) > 1 else (values[0] if values else "")
            for name, values in parser.values.items() if name != "csrfmiddlewaretoken"}


def opened(client, url: str) -> dict:
    """The hidden fields of the page at `url`, as its form sends them back (none when the
    page is refused: the post is then refused the same way)."""
    page = client.get(url)
    if page.status_code != 200:
        return {}
    return _values(page.content.decode(), hidden_only=True)


def post_form(client, url: str, data: dict, **kwargs):
    """Open the page at `url`, fill in `data` and send the form."""
    return client.post(url, {**opened(client, url), **data}, **kwargs)


def filled(page) -> dict:
    """Every value the form of a rendered page holds, as a browser would send it."""
    return _values(page.content.decode(), hidden_only=False)
