//! The CSRF token of a signed-in person is bound to their session (ASVS 4.0.3
//! V3, V4): a token planted in a cookie is worthless, each session has its
//! own, and the token changes at sign-in and at sign-out.

use samverkan_testkit::{PASSWORD, TestApp, bare, both_backends, csrf_in, set_cookie};

both_backends!(
    a_planted_token_or_another_sessions_token_is_refused,
    the_token_changes_at_sign_in_and_at_sign_out,
);

/// Signs in without a cookie store; returns the session id.
async fn session(app: &TestApp, email: &str) -> String {
    let res = bare().get(app.url("/login")).send().await.unwrap();
    let anon = set_cookie(&res, "csrf").expect("the sign-in form sets a token");
    let token = csrf_in(&res.text().await.unwrap()).unwrap();
    assert_eq!(token, anon, "before sign-in: the double-submit cookie");
    let res = bare()
        .post(app.url("/login"))
        .header("cookie", format!("csrf={anon}"))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let fresh = set_cookie(&res, "csrf").expect("a new anonymous token at sign-in");
    assert_ne!(fresh, anon);
    set_cookie(&res, "sid").expect("a session")
}

/// The token the account page's forms carry for session `sid`.
async fn token_of(app: &TestApp, sid: &str) -> String {
    let res = bare()
        .get(app.url("/account"))
        .header("cookie", format!("sid={sid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    csrf_in(&res.text().await.unwrap()).expect("a form on the account page")
}

async fn sign_out(app: &TestApp, cookie: &str, token: &str) -> reqwest::Response {
    bare()
        .post(app.url("/logout"))
        .header("cookie", cookie)
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap()
}

async fn still_signed_in(app: &TestApp, sid: &str) -> bool {
    bare()
        .get(app.url("/account"))
        .header("cookie", format!("sid={sid}"))
        .send()
        .await
        .unwrap()
        .status()
        == 200
}

async fn a_planted_token_or_another_sessions_token_is_refused(app: TestApp) {
    let email = app.confirmed_account("vera").await;
    let first = session(&app, &email).await;
    let second = session(&app, &email).await;
    let (t1, t2) = (token_of(&app, &first).await, token_of(&app, &second).await);
    assert_ne!(t1, t2, "each session has its own token");
    assert_eq!(t1, token_of(&app, &first).await, "stable within a session");
    // Someone who can set a cookie for the site plants a token and sends it
    // back: with double-submit alone this would pass.
    let planted = "ab".repeat(32);
    let res = sign_out(&app, &format!("sid={first}; csrf={planted}"), &planted).await;
    assert_eq!(res.status(), 403);
    assert!(still_signed_in(&app, &first).await);
    // The other session's token does not work for this one.
    let res = sign_out(&app, &format!("sid={first}"), &t2).await;
    assert_eq!(res.status(), 403);
    assert!(still_signed_in(&app, &first).await);
    // The session's own token does, whatever the csrf cookie says.
    let res = sign_out(&app, &format!("sid={first}; csrf={planted}"), &t1).await;
    assert_eq!(res.status(), 303);
    assert!(!still_signed_in(&app, &first).await);
    assert!(still_signed_in(&app, &second).await);
}

async fn the_token_changes_at_sign_in_and_at_sign_out(app: TestApp) {
    let email = app.confirmed_account("wilma").await;
    let before = app.csrf("/login").await;
    let res = app.sign_in(&email, PASSWORD).await;
    assert_eq!(res.status(), 303);
    let during = app.csrf("/account").await;
    assert_ne!(during, before, "a new token at sign-in");
    // The token from before sign-in no longer works.
    let stale = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf_token", before.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 403);
    assert_eq!(app.get("/account").await.status(), 200, "still signed in");
    let res = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf_token", during.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        set_cookie(&res, "csrf").is_some(),
        "a new token at sign-out"
    );
    let after = app.csrf("/login").await;
    assert_ne!(after, during, "a new token after sign-out");
    assert_ne!(after, before);
    // The signed-in token does not outlive the session.
    for token in [&during, &before] {
        let res = app
            .client
            .post(app.url("/login"))
            .form(&[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
}
