//! One page of a longer list, the shape every paged list and API answer
//! shares (the plan's pages, the register, the parties).

/// How many rows an export (a CSV sent in parts) reads at a time.
pub const EXPORT_BATCH: usize = 500;

/// One page of a longer list: its items, how many there are in all, and
/// which page of how many this is.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// Which page is shown when page `page` (from 1) is asked of `total` rows,
/// `per` a page: the page (before the first, the first; past the last, the
/// last) and the number of pages (at least 1).
pub fn clamp(total: usize, page: usize, per: usize) -> (usize, usize) {
    let pages = total.div_ceil(per).max(1);
    (page.clamp(1, pages), pages)
}

impl<T> Paged<T> {
    /// Page `page` (from 1; past the last, the last) of `all`, `per` a page.
    pub fn of(all: Vec<T>, page: usize, per: usize) -> Paged<T> {
        let total = all.len();
        let (page, pages) = clamp(total, page, per);
        let items = all.into_iter().skip((page - 1) * per).take(per).collect();
        Paged {
            items,
            total,
            page,
            pages,
        }
    }
}
