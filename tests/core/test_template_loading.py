"""Templates are compiled once per process in production (Django's cached loader), for the site's
own templates and for the forms' widgets alike: a page must not read and parse its templates on
every request."""

from tests.support.production import shell_output

CHECK = (
    "from django.template import engines; "
    "from django.forms.renderers import get_default_renderer; "
    "site = engines['django'].engine; forms = get_default_renderer().engine.engine; "
    "names = [type(engine.template_loaders[0]).__module__ + '.' + type(engine.template_loaders[0]).__name__ "
    "for engine in (site, forms)]; "
    "print(names, site.get_template('base.html') is site.get_template('base.html'), "
    "forms.get_template('django/forms/widgets/select.html') is forms.get_template('django/forms/widgets/select.html'))"
)


def test_production_compiles_each_template_once():
    assert shell_output(CHECK) == (
        "['django.template.loaders.cached.Loader', 'django.template.loaders.cached.Loader'] True True"
    )
