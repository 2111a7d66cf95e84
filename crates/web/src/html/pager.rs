//! The pager under a paged list (`partials/pager.html`): the previous page,
//! "page N / M" and the next page, linked where there is one.

/// Where a list's page stands, with the addresses of its neighbours.
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Page `page` of `pages`; `href(n)` is the address of page `n`.
    pub fn new(page: usize, pages: usize, href: impl Fn(usize) -> String) -> Pager {
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_have_no_link_beyond_them() {
        let href = |n: usize| format!("?page={n}");
        let first = Pager::new(1, 3, href);
        assert_eq!((first.prev, first.next.as_deref()), (None, Some("?page=2")));
        let last = Pager::new(3, 3, href);
        assert_eq!((last.prev.as_deref(), last.next), (Some("?page=2"), None));
    }
}
