//! A browser for the instances test: cookies kept by hand and sent to
//! every address on 127.0.0.1, forms posted with their CSRF token, and for
//! each answer the instance nginx says answered it.

use reqwest::header::HeaderMap;
use samverkan_testkit::csrf_in;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A client that follows no redirect and gives up on a request after 15 s.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .expect("an HTTP client")
}

/// What one request answered (status 0: no answer, the error in `body`).
pub struct Answer {
    pub status: u16,
    /// nginx's `X-Upstream`: the instance that answered.
    pub upstream: Option<String>,
    pub location: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
    pub took: Duration,
}

impl Answer {
    /// No answer: the error, and how long it took to come.
    fn none(error: String, took: Duration) -> Answer {
        Answer {
            status: 0,
            upstream: None,
            location: None,
            retry_after: None,
            body: error,
            took,
        }
    }

    /// "303 to /login in 12 ms", for messages.
    pub fn summary(&self) -> String {
        let took = self.took.as_millis();
        match (self.status, &self.location) {
            (0, _) => format!("no answer after {took} ms ({})", self.body),
            (status, Some(to)) => format!("{status} to {to} in {took} ms"),
            (status, None) => format!("{status} in {took} ms"),
        }
    }
}

/// A browser of its own: it keeps its cookies and sends them to every
/// address on 127.0.0.1 (a cookie does not depend on the port), so the
/// same session reaches nginx and each instance directly.
pub struct Browser {
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            client: client(),
            cookies: BTreeMap::new(),
        }
    }

    pub async fn get(&mut self, url: &str) -> Answer {
        let request = self.client.get(url);
        self.send(request).await
    }

    /// Opens `page` for the CSRF token of its form and posts `fields` with
    /// it to `action`, as a browser does.
    pub async fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let form_page = self.get(page).await;
        let token = csrf_in(&form_page.body).ok_or_else(|| {
            format!(
                "GET {page} (answered by {}): {}, with no form holding a CSRF token",
                form_page
                    .upstream
                    .as_deref()
                    .unwrap_or("the instance itself"),
                form_page.summary()
            )
        })?;
        let mut form = fields.to_vec();
        form.push(("csrf_token", token.as_str()));
        let request = self.client.post(action).form(&form);
        Ok(self.send(request).await)
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let request = match self.cookie_header() {
            Some(cookies) => request.header("cookie", cookies),
            None => request,
        };
        let started = Instant::now();
        let res = match request.send().await {
            Ok(res) => res,
            Err(e) => return Answer::none(e.to_string(), started.elapsed()),
        };
        self.keep_cookies(res.headers());
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (upstream, location) = (header("x-upstream"), header("location"));
        let retry_after = header("retry-after");
        let status = res.status().as_u16();
        let body = res.text().await.unwrap_or_else(|e| e.to_string());
        Answer {
            status,
            upstream,
            location,
            retry_after,
            body,
            took: started.elapsed(),
        }
    }

    fn cookie_header(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Keeps what `Set-Cookie` sets; forgets what it clears.
    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for value in headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let pair = value.split(';').next().unwrap_or_default();
            let Some((name, cookie)) = pair.split_once('=') else {
                continue;
            };
            let cleared = cookie.is_empty() || value.to_ascii_lowercase().contains("max-age=0");
            if cleared {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), cookie.trim().to_owned());
            }
        }
    }
}
