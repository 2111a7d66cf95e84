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
    /// The signed-in person's name, for the header.
    pub user_name: Option<String>,
    csrf: crate::csrf::CsrfToken,
    pub t: Tr,
    pub lang: Lang,
    pub title: String,
    /// This page in the other language.
    pub switch_href: String,
    pub css: &'static str,
    pub nav: Option<NavAgreement>,
}

impl Page {
    /// The CSRF token for this page's forms (sets the cookie on first use).
    pub fn csrf(&self) -> &str {
        self.csrf.value()
    }

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
    user_name: Option<String>,
    csrf: crate::csrf::CsrfToken,
}

impl PageCtx {
    pub fn from_request<B>(req: &axum::http::Request<B>) -> PageCtx {
        Self::from_parts(req.extensions(), req.uri())
    }

    fn from_parts(ext: &axum::http::Extensions, uri: &axum::http::Uri) -> PageCtx {
        PageCtx {
            lang: ext.get::<Lang>().copied().unwrap_or_default(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            user_name: ext
                .get::<crate::session::SignedIn>()
                .map(|s| s.0.display_name.clone()),
            csrf: ext
                .get::<crate::csrf::CsrfToken>()
                .cloned()
                .unwrap_or_default(),
        }
    }

    pub fn with_lang(mut self, lang: Lang) -> PageCtx {
        self.lang = lang;
        self
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
            user_name: self.user_name.clone(),
            csrf: self.csrf.clone(),
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
        Ok(PageCtx::from_parts(&parts.extensions, &parts.uri))
    }
}
