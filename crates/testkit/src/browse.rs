//! Browsing as a person: reading a page from a browser, posting its forms
//! with the page's CSRF token, uploading files, reading cookies.

use crate::{TestApp, csrf_in};

/// The value a response sets for cookie `name` (without its attributes).
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    set_cookie_header(res, name).map(|c| {
        c[name.len() + 1..]
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

/// The whole `Set-Cookie` header a response sends for cookie `name`,
/// attributes included.
pub fn set_cookie_header(res: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&prefix))
        .map(str::to_owned)
}

/// A client that keeps no cookies and follows no redirects: each request
/// says exactly what it sends.
pub fn bare() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A `multipart/form-data` body and its content type; a part with a file
/// name is sent as a CSV file.
pub fn multipart(parts: &[(&str, Option<&str>, &str)]) -> (String, Vec<u8>) {
    let boundary = "----samverkanTestBoundary7MA4YWxk";
    let mut body = String::new();
    for (name, filename, value) in parts {
        body.push_str(&format!("--{boundary}\r\n"));
        match filename {
            Some(f) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
            )),
            None => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
            )),
        }
        body.push_str(value);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

impl TestApp {
    /// GET `path` from `client`: the status and the body.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client.get(self.url(path)).send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    /// The CSRF token of the form on `page` as `client` sees it (the
    /// client keeps the cookie it is bound to).
    pub async fn csrf_of(&self, client: &reqwest::Client, page: &str) -> String {
        let (_, html) = self.page(client, page).await;
        csrf_in(&html).unwrap_or_else(|| panic!("no CSRF token on {page}"))
    }

    /// Posts a form from `client` with the CSRF token of the page at
    /// `page`; the fields may be borrowed or owned strings.
    pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        client: &reqwest::Client,
        page: &str,
        action: &str,
        fields: &[(K, V)],
    ) -> reqwest::Response {
        let token = self.csrf_of(client, page).await;
        let mut form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        form.push(("csrf_token", token.as_str()));
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    /// Posts a [`multipart`] form to `action` from `client` (the parts
    /// carry their own `csrf_token` where the test wants one).
    pub async fn upload(
        &self,
        client: &reqwest::Client,
        action: &str,
        parts: &[(&str, Option<&str>, &str)],
    ) -> reqwest::Response {
        let (content_type, body) = multipart(parts);
        client
            .post(self.url(action))
            .header("content-type", &content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }
}
