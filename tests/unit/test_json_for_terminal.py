"""JSON for the terminal: C1 controls as \\u escapes, the JSON value unchanged."""

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from eng28.text import json_bytes_for_terminal, json_for_terminal

C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(values)
def test_the_value_is_kept_and_no_c1_control_is_left(value):
    text = json.dumps(value, indent=2, ensure_ascii=False)
    safe = json_for_terminal(text)
    assert json.loads(safe) == value
    assert not any(0x80 <= ord(char) < 0xA0 for char in safe)
    data = json_bytes_for_terminal(text.encode("utf-8"))
    assert data == safe.encode("utf-8")
    assert C1_IN_UTF8.search(data) is None


def test_other_characters_stay_as_they_are():
    text = json.dumps({"k\x85": "é ✓ \u00a0 \x9b31m \\\x9d"}, ensure_ascii=False)
    assert json_for_terminal(text) == '{"k\\u0085": "é ✓ \u00a0 \\u009b31m \\\\\\u009d"}'
