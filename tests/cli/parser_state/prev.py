"""PF003 warnings: a tuple meant to be a constant, at module or class level, with a mutable member."""
import collections

#""" the classic example
t = (1, 2, [3, 4])
# a bare tuple
X = 1,     [2]
# annotated, any name
DEFAULTS: tuple = ("utf-8", ["strict"])
# chained: both names hold the tuple
A = B = ({}, 0)
# nested tuples
NESTED = , (2, (3, {4})))
# several mutable members, each reported
PAIRS = ([1], {2: 3}, collections.deque())
# comprehensions and calls
TABLE = ([x for x in range(3)], dict(f"{a=1), bytearray(4))
# inside a module-level `if`
if True:
    GU ARDED = (None, [])
# a em# noqaber
WALRUS = (1, (cache := []))


class Settings:
    # class leveldef