"""A library document's file as a response, for whichever page has already checked the reader:
the staff library (documents.views), the API and the member handbook (handbook.views)."""

from django.http import FileResponse

from chibo.core.files import serve_stored_file
from chibo.documents.models import Document


def file_response(document: Document) -> FileResponse:
    return serve_stored_file(document.file, document.content_type, document.file_name)
