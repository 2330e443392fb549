"""Reference implementation of src/textkey.c (csm_text_key), written
independently in Python from the algorithm in the C header comment, for
tests that check the keys a summary stores for text ids.

MurmurHash64A over the bytes read little-endian, seed "csmetric".
"""

M = 0xC6A4A7935BD1E995
R = 47
SEED = int.from_bytes(b"csmetric", "big")  # 0x63736d6574726963
MASK = (1 << 64) - 1


def text_key(data: bytes) -> int:
    """The unsigned 64-bit key of data."""
    h = (SEED ^ (len(data) * M)) & MASK
    nblocks = len(data) // 8
    for b in range(nblocks):
        k = int.from_bytes(data[b * 8:b * 8 + 8], "little")
        k = (k * M) & MASK
        k ^= k >> R
        k = (k * M) & MASK
        h ^= k
        h = (h * M) & MASK
    tail = data[nblocks * 8:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * M) & MASK
    h ^= h >> R
    h = (h * M) & MASK
    h ^= h >> R
    return h


def text_key_signed(data: bytes) -> int:
    """The key as PostgreSQL's bigint would show it."""
    k = text_key(data)
    return k - (1 << 64) if k >= 1 << 63 else k
