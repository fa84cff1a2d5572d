"""How every form on the site renders: Django's own `{{ form }}` and `as_field_group`, with our
two templates, so a page writes `{{ form }}` and gets labels, help and errors wired for screen
readers the same way everywhere."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
