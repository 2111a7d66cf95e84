//! Reading request cookies and writing response cookies with the site's
//! attributes (HttpOnly, SameSite, Path=/, Secure behind HTTPS).

use axum::http::{HeaderMap, HeaderValue, header};

/// The value of the cookie `name`, if the request carries it.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
        })
}

/// Appends a `Set-Cookie` header. `max_age` in seconds; `Some(0)` deletes.
pub fn set(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    same_site: &str,
    max_age: Option<i64>,
    secure: bool,
) {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, v);
    }
}
