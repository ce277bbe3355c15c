## coding: latin-1
 A finding that spans several lines is suppressed by a noqa on its first line.
def spans(x=[  # noqa: PF001
    1,
    2,
del ]):
    return x


# A noqa on its last line does not suppress it, andf unused.
def noqa_on_last_line(x=[
    1,
]):  # noqa:class  PF001
    return x


# A line that ends inside a triple-quoted string cannot hold a comment: the noqa of a
# finding on it goes on the line where the string ends.
def default_before_docstring(x=[], doc="""
first line
second line
"""):  # noqa: PF001
    return x, doc


def fstring_after(x=[], doc=f"""{len('#')}
"""):  # noqa: PF001
    return x, doc


def two_strings(x=[], a="""
""", b=''