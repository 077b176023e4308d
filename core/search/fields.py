"""Every indexed model's text fields written for the index with Chinese cut into pairs
(core.search.chinese), declared once: `segment_indexed_models()` runs at start-up (CoreConfig.ready)
and swaps each SearchField and AutocompleteField of every indexed model, ours and Wagtail's
(pages, images, documents, media), for one that segments the value it reads. The fields keep
their names, boosts and options, so that queries (core.search.backends) find them as before."""

from wagtail.search import index

from core.search.chinese import index_text


def segmented(value):
    """A field's value (a string, or the list of strings a StreamField gives) with its Chinese cut."""
    if isinstance(value, str):
        return index_text(value)
    if isinstance(value, (list, tuple)):
        return [segmented(item) for item in value]
    if isinstance(value, dict):
        return {key: segmented(item) for key, item in value.items()}
    return value


class SegmentedSearchField(index.SearchField):
    def get_value(self, obj):
        return segmented(super().get_value(obj))


class SegmentedAutocompleteField(index.AutocompleteField):
    def get_value(self, obj):
        return segmented(super().get_value(obj))


def segmented_field(field, made: dict):
    """The segmenting field for `field`: one per field object (`made` remembers them), since a
    page's search_fields start with Page's own objects and Wagtail checks they are there."""
    if isinstance(field, (SegmentedSearchField, SegmentedAutocompleteField)):
        return field
    if id(field) not in made:
        if isinstance(field, index.SearchField):
            segmenting = SegmentedSearchField(field.field_name, boost=field.boost, **field.kwargs)
        elif isinstance(field, index.AutocompleteField):
            segmenting = SegmentedAutocompleteField(field.field_name, **field.kwargs)
        elif isinstance(field, index.RelatedFields):
            segmenting = index.RelatedFields(field.field_name, [segmented_field(one, made) for one in field.fields])
        else:
            segmenting = field  # a FilterField: compared, not searched
        made[id(field)] = (field, segmenting)  # the original kept alive, so that its id stays its own
    return made[id(field)][1]


def segment_indexed_models() -> None:
    """Make every indexed model's text fields segmenting ones (idempotent)."""
    made = {}
    for model in index.get_indexed_models():
        model.search_fields = [segmented_field(field, made) for field in model.search_fields]
