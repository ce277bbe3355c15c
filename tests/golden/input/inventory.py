"""Findings of every shape: one line, several lines, an elided long range, a lambda."""


def add_item(item, items=[]):
    items.append(item)
    return items


def tally(words, counts={}):
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


def configure(name, options={
    "verbose": False,
    "retries": 3,
}):
    return options.get(name)


def palette(name, colours={
    "red": "#ff0000",
    "green": "#00ff00",
    "blue": "#0000ff",
    "cyan": "#00ffff",
    "magenta": "#ff00ff",
    "yellow": "#ffff00",
}):
    return colours[name]


remember = lambda value, seen=[]: seen.append(value) or seen


def safe_add_item(item, items=None):
    if items is None:
        items = []
    items.append(item)
    return items
