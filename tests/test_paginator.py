from __future__ import annotations

from config.paginator import MAX_OFFSET, CappedPaginator


def test_no_page_starts_deeper_than_the_cap() -> None:
    paginator = CappedPaginator(range(1_000_000), 25)
    last = paginator.page(paginator.num_pages)
    assert last.start_index() - 1 <= MAX_OFFSET
    assert paginator.get_page(999_999).number == paginator.num_pages


def test_short_lists_keep_all_their_pages() -> None:
    assert CappedPaginator(range(60), 25).num_pages == 3
