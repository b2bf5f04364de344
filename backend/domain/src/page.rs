//! Paging through listings: a page of items and the cursor where the next page starts.

/// One page of a listing and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

impl<T, C> Page<T, C> {
    /// Nothing, and nothing after it.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next: None,
        }
    }
}

/// Something listed in pages: each item names the position right after itself, so a store that
/// found more items than the page holds continues after the last one it returned.
pub trait Listed {
    type Cursor;
    fn cursor(&self) -> Self::Cursor;
}

/// Something a channel owns, listed newest first by when it was made (clips, uploaded videos):
/// what a store needs to keep it and its place in the channel's list.
pub trait ChannelListed: Listed {
    fn key(&self) -> &str;
    fn channel(&self) -> &crate::ids::ChannelId;
    /// Its place in the list; never changes.
    fn created_at(&self) -> time::OffsetDateTime;
}

impl<T: Listed> Page<T, T::Cursor> {
    /// A page of `items`; when the store saw `more` beyond them, the next page starts after the
    /// last item.
    pub fn continuing(items: Vec<T>, more: bool) -> Self {
        let next = if more {
            items.last().map(Listed::cursor)
        } else {
            None
        };
        Self { items, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Numbered(u32);

    impl Listed for Numbered {
        type Cursor = u32;
        fn cursor(&self) -> u32 {
            self.0
        }
    }

    #[test]
    fn a_page_with_more_behind_it_continues_after_its_last_item() {
        let page = Page::continuing(vec![Numbered(3), Numbered(7)], true);
        assert_eq!(page.next, Some(7));
        let last = Page::continuing(vec![Numbered(3)], false);
        assert_eq!(last.next, None);
        let empty: Page<Numbered, u32> = Page::continuing(Vec::new(), true);
        assert_eq!(empty.next, None);
    }
}
