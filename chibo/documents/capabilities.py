"""The capability the documents library adds to the permission policy (registered in the app's
ready())."""

MANAGE_DOCUMENTS = "document.manage"
