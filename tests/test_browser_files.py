"""Stored files in Chromium: an inline PDF served by chibo.core.files, with its CSP `sandbox`,
still opens in the browser's own PDF viewer (not a download, not a blank page)."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from chibo.accounts.policy import SYSTEM  # noqa: E402
from tests.browser_support import sign_in  # noqa: E402
from tests.test_documents import publish, upload  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"
# The number of pages the viewer's toolbar shows: set once the document has loaded.
PAGES_SHOWN = """() => {
  const toolbar = document.querySelector('pdf-viewer')?.shadowRoot
    ?.querySelector('viewer-toolbar');
  return toolbar?.shadowRoot?.querySelector('viewer-page-selector')?.docLength || 0;
}"""


def one_page_pdf() -> bytes:
    """A real one-page PDF ("Nghị quyết" in Helvetica), with a correct cross-reference table."""
    stream = b"BT /F1 24 Tf 40 100 Td (Nghi quyet) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


def pdf_viewer_frame(page, tries: int = 50):
    """The frame of Chromium's PDF viewer once it has attached (it comes after the load)."""
    for _ in range(tries):
        viewer = next((f for f in page.frames if f.url.startswith(PDF_VIEWER)), None)
        if viewer is not None:
            return viewer
        page.wait_for_timeout(200)
    raise AssertionError(f"no PDF viewer in {[f.url for f in page.frames]}")


def test_a_sandboxed_inline_pdf_opens_in_the_pdf_viewer(live_world, live_server, page):
    document = publish(live_world.orgs["TQ"], actor=SYSTEM,
                       file=upload("Nghi-quyet.pdf", one_page_pdf()))
    sign_in(page, live_server, "province")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    response = page.goto(f"{live_server.url}/documents/{document.pk}/file/")
    headers = response.all_headers()
    assert "sandbox" in headers["content-security-policy"]
    assert headers["content-disposition"].startswith("inline")
    viewer = pdf_viewer_frame(page)
    viewer.wait_for_function(PAGES_SHOWN)
    assert viewer.evaluate(PAGES_SHOWN) == 1 and downloads == []
