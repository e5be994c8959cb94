"""A form sent with a CSRF token that is no longer valid is shown again, never dropped.

Tokens change at every sign-in and sign-out (app.auth.sign_ins), so a form opened before
one — in another tab, or brought back with Back — arrives with an old token. Flask-WTF
refuses it before the view runs (CSRFError). For views marked `keeps_typed_input`, the view
then runs anyway: its own form checks the token again, fails, and the page comes back with
everything typed (passwords aside), a fresh token, and one line saying what happened.
Nothing is written, since a form whose token fails does not validate. Every other view
answers with the 400 page.
"""

from collections.abc import Callable

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFError

from app.errors import render_error

STALE_FORM_MESSAGE = ("This form was opened before you signed in or out (perhaps in another tab), so it needs "
                      "sending once more. What you typed is still here: check it and send it again.")


def keeps_typed_input(view: Callable) -> Callable:
    """Mark a view whose form re-renders itself when its CSRF token is stale."""
    view.keeps_typed_input = True
    return view


def handle_stale_form(error: CSRFError):
    view = current_app.view_functions.get(request.endpoint)
    if view is None or not getattr(view, "keeps_typed_input", False):
        return render_error(error)
    return view(**(request.view_args or {}))


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_stale_form)
    app.add_template_global(STALE_FORM_MESSAGE, "stale_form_message")
