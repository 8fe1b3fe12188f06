"""Strings every format must carry exactly (DESIGN.md: "Nothing is lost")."""

from __future__ import annotations

LONG = ("Ein sehr langer Text über Küchenmesser. " * 800)[:30_000]

TRICKY: dict[str, str] = {
    "plain": "Hello, world",
    "lf": "first line\nsecond line",
    "crlf": "first line\r\nsecond line\r\n",
    "cr": "old mac\rline",
    "tab": "name\tvalue",
    "spaces": "  leading and trailing  ",
    "quotes": "She said \"hi\" and 'bye'",
    "xml": "a < b && c > d <br/> &amp; &lt;",
    "html": '<p>Save <strong>{percent}%</strong> on <a href="https://example.com/?a=1&b=2">mugs</a></p>',
    "emoji": "Coffee ☕ time 👩‍👩‍👧 🇯🇵",
    "hebrew": "שלום עולם — מחיר: {price} ₪",
    "cjk": "日本語のテキスト、{{count}}個",
    "equals": "=SUM(A1:A3)",
    "plus": "+10% more capacity",
    "minus": "-5 °C in winter",
    "at": "@wixloc on social",
    "long": LONG,
    "semicolon": "one; two; three",
    "comma": "one, two, three",
    "backslash": "C:\\path\\to\\file and \\n literal",
    "percent": "100% sure, %s and %(name)s",
    "nbsp": "non\u00a0breaking and zero\u200bwidth",
}

KEY_TRICKY = ("Stores/Products", "id|with|pipes\\and\\backslash", "title")
