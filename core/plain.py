"""Model instances built from plain values that a query already returned (a JSON array of rows
folded into another query, say): what a link, a name or a title needs, without a query of
their own."""


def instance_from_values(model, values: dict):
    """An instance of `model` holding only `values` (by field name, with its "id"; the parent
    links of multi-table models are filled from it). Django's `from_db` takes values in the
    model's field order, whatever order they come in: this puts them in it."""
    values = dict(values)
    for parent_link in model._meta.parents.values():
        values[parent_link.attname] = values["id"]
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db("default", names, [values[name] for name in names])
