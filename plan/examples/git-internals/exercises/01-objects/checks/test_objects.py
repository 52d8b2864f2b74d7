import zlib

import pytest
from objects import decode, encode, loose_path, object_id

EMPTY_SHA1 = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git hash-object of an empty file
HELLO_SHA1 = "ce013625030ba8dba906f756967f9e9ca394464a"  # printf 'hello\n' | git hash-object
EMPTY_SHA256 = "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"
HELLO_SHA256 = "2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4"


def test_blob_ids_are_the_ones_git_prints():
    for data, expected in ((b"", EMPTY_SHA1), (b"hello\n", HELLO_SHA1)):
        got = object_id("blob", data)
        assert got == expected, f"object_id('blob', {data!r}): expected {expected}, got {got}"


def test_sha256_repositories_hash_the_same_frame_with_sha256():
    for data, expected in ((b"", EMPTY_SHA256), (b"hello\n", HELLO_SHA256)):
        got = object_id("blob", data, "sha256")
        assert got == expected, f"sha256 id of {data!r}: expected {expected}, got {got}"


def test_the_kind_is_part_of_the_hash():
    blob, tree = object_id("blob", b"same bytes"), object_id("tree", b"same bytes")
    assert blob != tree, f"a blob and a tree of the same bytes share the id {blob}"


def test_loose_path_splits_off_the_first_two_hex_digits():
    got = loose_path(HELLO_SHA1)
    expected = "objects/ce/013625030ba8dba906f756967f9e9ca394464a"
    assert got == expected, f"expected {expected}, got {got}"
    got = loose_path(EMPTY_SHA256)
    assert got == f"objects/47/{EMPTY_SHA256[2:]}", f"a SHA-256 id: got {got}"


@pytest.mark.parametrize("bad", ["", "ce01", HELLO_SHA1.upper(), HELLO_SHA1[:-1] + "g"])
def test_loose_path_refuses_what_is_not_an_object_id(bad):
    with pytest.raises(ValueError):
        loose_path(bad)
        pytest.fail(f"expected ValueError for {bad!r}, got a path")


def test_encode_writes_a_zlib_stream_of_header_and_content():
    raw = encode("blob", b"hello\n")
    inflated = zlib.decompress(raw)
    assert inflated == b"blob 6\0hello\n", f"expected b'blob 6\\0hello\\n', got {inflated!r}"


def test_decode_reverses_encode_even_for_binary_content():
    data = bytes(range(256)) + b"\0\0tail"
    got = decode(encode("blob", data))
    assert got == ("blob", data), f"round trip changed the object: got kind {got[0]!r}"


def test_decode_refuses_a_header_whose_length_is_wrong():
    with pytest.raises(ValueError):
        decode(zlib.compress(b"blob 99\0short"))
        pytest.fail("expected ValueError for a header that claims 99 bytes over 5")
