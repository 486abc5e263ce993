"""The secretariat's Translations page of a call, one per language besides the main one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import permissions
from fund.access import require
from fund.calls.translations import language_name, save_translations, translation_form
from fund.calls.views import bp
from fund.extensions import db
from fund.models import Call
from fund.outbox import commit


@bp.route("/<int:call_id>/translations/<language>", methods=["GET", "POST"])
@require(permissions.can_manage_calls)
def translations(call_id: int, language: str):
    """Each text of the call in its main language, with a box for its `language` version."""
    call = db.get_or_404(Call, call_id)
    if language not in (call.languages or []) or language == call.main_language:
        abort(404, description=_("This call is not given in that language."))
    form = translation_form(call, language)
    if request.method == "POST":
        if form.validate():
            texts = {text.key: form[text.key].data or "" for text in form.texts}
            save_translations(call, language, texts, current_user)
            commit()
            flash(_("The translations are saved."), "success")
            return redirect(url_for("calls.translations", call_id=call.id, language=language))
    return render_template(
        "calls/translations.html",
        call=call,
        form=form,
        language=language,
        language_name=language_name(language),
        main_language_name=language_name(call.main_language),
    ), 400 if form.errors else 200
