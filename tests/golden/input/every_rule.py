"""One finding of every rule that is not elsewhere in the golden inputs."""
import os


class Cache:
    def clear(self):
        self.items = []

    def __init__(self):
        self.clear = None


SIZES = ("small", ["medium", "large"])
LOG_DIR = "C:\Users\tmp\logs"
PATTERN = "\d+"


def pad(text, width=8, *parts):
    return text.ljust(width) + "".join(parts)


TOTAL = 1  # noqa: PF001
print(os.sep)
