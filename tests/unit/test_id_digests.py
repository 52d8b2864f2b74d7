"""The form of the review-log summaries' ids (`values.id_digests`): 16 lower-case hex digits
a rating, nothing else, whatever a cache file holds instead."""

from hypothesis import given
from hypothesis import strategies as st

from eng28.reviewscan import id_digest
from eng28.values import ID_WIDTH, id_digests


def test_digests_of_ratings_have_the_form():
    ids = "".join(id_digest("eng28", f"r{n}") for n in range(50))
    assert id_digests(ids) and id_digests("")
    assert not id_digests(ids[:-1])  # cut inside a digest
    assert not id_digests(ids.upper())
    assert not id_digests(ids[:-1] + "g")
    assert not id_digests(ids[:-1] + "\u0663")  # ARABIC-INDIC DIGIT THREE: a digit, not hex
    assert not id_digests(ids[:-1] + "\x00")
    assert not id_digests(["0" * ID_WIDTH]) and not id_digests(None)


@given(st.text(alphabet="0123456789abcdefABCDEFg \x00é\u0663", max_size=64))
def test_the_form_is_hex_digits_in_whole_digests(text):
    expected = not len(text) % ID_WIDTH and all(c in "0123456789abcdef" for c in text)
    assert id_digests(text) is expected
