"""Nothing to report here."""


def add_item(item, items=None):
    items = [] if items is None else items
    items.append(item)
    return items
