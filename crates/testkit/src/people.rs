//! People in tests: registering through the real forms, confirming by the
//! link the SMTP server received, signing in from one or more browsers.

use crate::{TestApp, csrf_in, smtp};

/// A password that meets the policy, used by test accounts.
pub const PASSWORD: &str = "korv med bröd vid hamnen";

/// A browser of its own: separate cookies, redirects not followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The path of the first link to `http://samverkan.test{prefix}…` in a mail.
pub fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(&format!("http://samverkan.test{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix} in:\n{body}"))
        + "http://samverkan.test".len();
    body[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    /// Registers "Anna Berg" at `email` and returns the confirmation link's
    /// path from the mail the SMTP server received.
    pub async fn register(&self, email: &str) -> String {
        let fields = [
            ("display_name", "Anna Berg"),
            ("email", email),
            ("password", PASSWORD),
        ];
        let res = self.submit("/register", "/register", &fields).await;
        assert_eq!(res.status(), 200, "registering {email}");
        self.run_jobs().await;
        let mails = smtp::server().messages_to(email);
        let mail = mails.last().unwrap_or_else(|| panic!("no mail to {email}"));
        link_in(&mail.body, "/confirm/")
    }

    /// Presses the button behind a confirmation link.
    pub async fn confirm(&self, link: &str) -> reqwest::Response {
        self.submit(link, link, &[]).await
    }

    /// A registered, confirmed account; returns its address.
    pub async fn confirmed_account(&self, name: &str) -> String {
        let email = self.address(name);
        let link = self.register(&email).await;
        self.confirm(&link).await;
        email
    }

    /// Signs in on the app's own client, asking to land on `/account`.
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        let fields = [
            ("email", email),
            ("password", password),
            ("next", "/account"),
        ];
        self.submit("/login", "/login", &fields).await
    }

    /// Signs in from another browser.
    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let html = client
            .get(self.url("/login"))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body");
        let token = csrf_in(&html).expect("a CSRF token on the sign-in page");
        let form = [
            ("email", email),
            ("password", password),
            ("csrf_token", token.as_str()),
        ];
        client
            .post(self.url("/login"))
            .form(&form)
            .send()
            .await
            .expect("request")
    }
}
