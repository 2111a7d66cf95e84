//! The layout context every page gets: language, translator, title, the
//! language-switch link and the agreement navigation.

use crate::{Lang, Tr};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

/// The agreement a page belongs to, for the navigation bar.
pub struct NavAgreement {
    pub slug: String,
    pub short_name: String,
    /// Which entry is the current page: "home", "text", "principles", …
    pub active: &'static str,
}

pub struct Page {
    pub t: Tr,
    pub lang: Lang,
    pub title: String,
    /// This page in the other language.
    pub switch_href: String,
    pub css: &'static str,
    pub nav: Option<NavAgreement>,
}

impl Page {
    /// Whether the navigation entry `entry` is the current page.
    pub fn is_active(&self, entry: &str) -> bool {
        self.nav.as_ref().is_some_and(|n| n.active == entry)
    }
}

/// What a page needs to know of its request.
#[derive(Clone)]
pub struct PageCtx {
    pub lang: Lang,
    path: String,
    query: Option<String>,
}

impl PageCtx {
    pub fn from_request<B>(req: &axum::http::Request<B>) -> PageCtx {
        PageCtx {
            lang: req.extensions().get::<Lang>().copied().unwrap_or_default(),
            path: req.uri().path().to_owned(),
            query: req.uri().query().map(str::to_owned),
        }
    }

    pub fn t(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// The current URL with `lang=` set to `lang`.
    pub fn href_in(&self, lang: Lang) -> String {
        let mut pairs: Vec<&str> = self
            .query
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let lang_pair = format!("lang={}", lang.code());
        pairs.push(&lang_pair);
        format!("{}?{}", self.path, pairs.join("&"))
    }

    pub fn page(&self, title: impl Into<String>, nav: Option<NavAgreement>) -> Page {
        Page {
            t: self.t(),
            lang: self.lang,
            title: title.into(),
            switch_href: self.href_in(self.lang.other()),
            css: crate::assets::css_url(),
            nav,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageCtx {
            lang: parts.extensions.get::<Lang>().copied().unwrap_or_default(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
        })
    }
}
