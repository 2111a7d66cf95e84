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

impl<T> Paged<T> {
    /// Page `page` (from 1; past the last, the last) of `all`, `per` a page.
    pub fn of(all: Vec<T>, page: usize, per: usize) -> Paged<T> {
        let total = all.len();
        let pages = total.div_ceil(per).max(1);
        let page = page.clamp(1, pages);
        let items = all.into_iter().skip((page - 1) * per).take(per).collect();
        Paged {
            items,
            total,
            page,
            pages,
        }
    }
}
