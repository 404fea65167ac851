"""The officers' help page: what each area of chibo is for, and where the API documentation is.

A page of its own (URL name `help`, /help/), beside the home page; the menu may link it."""

from django.shortcuts import render


def help_page(request):
    """The areas of chibo in a few words each, with a link to the API documentation."""
    return render(request, "help.html")
