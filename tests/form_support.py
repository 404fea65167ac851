"""Posting a page's form as a browser does: with the hidden fields the page was opened with
(the record's version and the values as they were, chibo.core.concurrency)."""

from html.parser import HTMLParser


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], []).append(attrs.get("value") or "")


def opened(client, url: str) -> dict:
    """The hidden fields of the page at `url`, as its form sends them back (none when the
    page is refused: the post is then refused the same way)."""
    page = client.get(url)
    if page.status_code != 200:
        return {}
    parser = _HiddenInputs()
    parser.feed(page.content.decode())
    return {name: values if len(values) > 1 else values[0]
            for name, values in parser.values.items() if name != "csrfmiddlewaretoken"}


def post_form(client, url: str, data: dict, **kwargs):
    """Open the page at `url`, fill in `data` and send the form."""
    return client.post(url, {**opened(client, url), **data}, **kwargs)
