from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password (at least 10 characters)"),
                             validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password (at least 10 characters)"),
                             validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=80)])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    current_password = PasswordField(_l("Current password (to change it)"), validators=[Optional(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200)])
