"""The WTForms form of one plug-in's settings on a space's « Outils » page, built from
the plug-in's declaration (convergence/space_settings.py)."""

from __future__ import annotations

import re

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

# A number a person types: ASCII digits, 18 at most (enough to say « too large » in the
# bounds' words, too few for int() to spend time on).
_ASCII_NUMBER = re.compile(r"-?[0-9]{1,18}")


class _SettingNumber(IntegerField):
    """An integer setting: ASCII digits only, a minus sign allowed (``int()`` would read
    « ١٢٠ » as 120 and save it), 18 digits at most; the bounds are ``_within``'s."""

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip() and not _ASCII_NUMBER.fullmatch(str(valuelist[0]).strip()):
            self.data = None
            raise ValueError(_("Type a whole number with the digits 0 to 9."))
        super().process_formdata(valuelist)


def _field(setting):
    if setting.type == "bool":
        return BooleanField(setting.label)
    if setting.type == "int":
        return _SettingNumber(setting.label, validators=[InputRequired(message=_l("Give a whole number.")),
                                                       _within(setting)])
    if setting.type == "choice":
        return SelectField(setting.label, choices=[(code, label) for code, label in setting.choices])
    return StringField(setting.label, validators=[Length(max=setting.max_length, message=_l(
        "At most %(max)d characters.", max=setting.max_length))])


def _within(setting):
    """The bounds, said with the numbers written as the person reads them (« 100 000 »)."""

    def check(_form, field):
        value = field.data
        if value is None:
            return
        low, high = setting.low, setting.high
        if (low is None or value >= low) and (high is None or value <= high):
            return
        if low is not None and high is not None:
            message = _("Give a whole number from %(low)s to %(high)s.", low=format_number(low),
                        high=format_number(high))
        elif low is not None:
            message = _("Give a whole number of at least %(low)s.", low=format_number(low))
        else:
            message = _("Give a whole number of at most %(high)s.", high=format_number(high))
        raise ValidationError(message)

    return check


def settings_form(plugin, current: dict, *, posted: bool):
    """The form of ``plugin``'s settings, filled with ``current`` values, or with what the
    person sent when ``posted``."""

    class PluginSettingsForm(FlaskForm):
        pass

    for setting in plugin.space_settings:
        setattr(PluginSettingsForm, setting.key, _field(setting))
    kwargs = {} if posted else {"formdata": None}
    form = PluginSettingsForm(prefix=plugin.name, data=dict(current), **kwargs)
    form.plugin = plugin
    return form


def values(form) -> dict:
    return {setting.key: form[setting.key].data for setting in form.plugin.space_settings}
