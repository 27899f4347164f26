"""JSON that is safe wherever it lands: inside a <script>, or opened by a browser as a page.

<, >, & and ' go out as \\u escapes (and U+2028/2029, which end a line in older JavaScript):
the same data for every JSON parser, but no way for a name someone typed to close a script
or be read as markup.
"""
from __future__ import annotations

import json
from typing import Any

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}


def dumps(value: Any, **options: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, **options)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text
