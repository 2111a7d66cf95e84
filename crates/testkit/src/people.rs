//! People in tests: registering through the real forms, confirming by the
//! link the SMTP server received, signing in from one or more browsers.

use crate::{TestApp, smtp};
use samverkan_app::accounts::CurrentUser;
use samverkan_app::roles::Roles;

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
    pub async fn sign_up(&self, email: &str) -> String {
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
        let link = self.sign_up(&email).await;
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
        let token = self.csrf_of(client, "/login").await;
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

/// A role given to a test person directly in the database, as an
/// administrator would have granted it.
#[derive(Debug, Clone, Copy)]
pub enum Grant<'a> {
    /// Member of an organisation (slug) with a role (`member` or `admin`).
    Member(&'a str, &'a str),
    /// Coordinator of an agreement (slug).
    Coordinator(&'a str),
    /// Official of a city body (`municipality/slug`).
    Official(&'a str),
    PlatformAdmin,
}

impl TestApp {
    /// The account id of an address.
    pub async fn user_id(&self, email: &str) -> i64 {
        self.app
            .db()
            .user_by_email(email)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no account {email}"))
            .id
    }

    /// Gives the account at `email` the roles in `grants`.
    pub async fn grant(&self, email: &str, grants: &[Grant<'_>]) {
        let user = self.user_id(email).await;
        let db = self.app.db();
        let now = time::OffsetDateTime::now_utc();
        let mut tx = db.begin().await.expect("begin");
        for g in grants {
            match *g {
                Grant::Member(org, role) => {
                    let (id, _) = db
                        .organisation_key(org)
                        .await
                        .expect("query")
                        .unwrap_or_else(|| panic!("no organisation {org}"));
                    tx.insert_member(id, user, role, now).await.expect("member");
                }
                Grant::Coordinator(agreement) => {
                    let id = db
                        .agreement_id(agreement)
                        .await
                        .expect("query")
                        .unwrap_or_else(|| panic!("no agreement {agreement}"));
                    tx.grant_coordinator(id, user, now).await.expect("grant");
                }
                Grant::Official(body) => {
                    let id = db
                        .city_body_id(body)
                        .await
                        .expect("query")
                        .unwrap_or_else(|| panic!("no city body {body}"));
                    tx.grant_official(id, user, now).await.expect("grant");
                }
                Grant::PlatformAdmin => {
                    tx.set_platform_admin(user, true).await.expect("grant");
                }
            }
        }
        tx.commit().await.expect("commit");
    }

    /// A confirmed account named `name` with `grants`, signed in from a
    /// browser of its own; returns the browser and the address.
    pub async fn person(&self, name: &str, grants: &[Grant<'_>]) -> (reqwest::Client, String) {
        let email = self.confirmed_account(name).await;
        self.grant(&email, grants).await;
        let client = browser();
        let res = self.sign_in_with(&client, &email, PASSWORD).await;
        assert_eq!(res.status(), 303, "signing in {email}");
        (client, email)
    }

    /// Posts a form from `client` with the CSRF token of the page at `page`
    /// (see [`TestApp::post_form`] for owned fields).
    pub async fn post_from(
        &self,
        client: &reqwest::Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post_form(client, page, action, fields).await
    }

    /// A signed-in person holding one role, under a name of their own.
    async fn one_role(&self, role: &str, grant: Grant<'_>) -> (reqwest::Client, String) {
        let name = format!("{role}-{}", crate::next_number());
        self.person(&name, &[grant]).await
    }

    /// A signed-in coordinator of `agreement` (a slug): browser and address.
    pub async fn coordinator_of(&self, agreement: &str) -> (reqwest::Client, String) {
        self.one_role("coordinator", Grant::Coordinator(agreement))
            .await
    }

    /// A signed-in official of `body` (`municipality/slug`): browser and
    /// address.
    pub async fn official_of(&self, body: &str) -> (reqwest::Client, String) {
        self.one_role("official", Grant::Official(body)).await
    }

    /// A signed-in member of organisation `org` (a slug) with `role`
    /// (`member` or `admin`): browser and address.
    pub async fn member_of(&self, org: &str, role: &str) -> (reqwest::Client, String) {
        self.one_role("member", Grant::Member(org, role)).await
    }

    /// A signed-in platform administrator: browser and address.
    pub async fn platform_admin(&self) -> (reqwest::Client, String) {
        self.one_role("platform-admin", Grant::PlatformAdmin).await
    }

    /// The account at `email` as the use cases take it (for writing the
    /// rows a test needs through the application itself).
    pub async fn current_user(&self, email: &str) -> CurrentUser {
        let user = self
            .app
            .db()
            .user_by_email(email)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no account {email}"));
        CurrentUser {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            is_platform_admin: user.is_platform_admin,
            session: String::new(),
        }
    }

    /// [`TestApp::current_user`] with the roles the account holds.
    pub async fn current_user_and_roles(&self, email: &str) -> (CurrentUser, Roles) {
        let user = self.current_user(email).await;
        let roles = self.app.roles(&user).await.expect("roles");
        (user, roles)
    }
}
