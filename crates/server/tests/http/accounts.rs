use crate::assert_has;
use samverkan_testkit::smtp;
use samverkan_testkit::{
    PASSWORD, TestApp, bare, both_backends, browser, link_in, set_cookie, set_cookie_header,
};

both_backends!(
    a_person_registers_confirms_by_email_and_signs_in,
    state_changing_requests_without_the_csrf_token_are_refused,
    registration_answers_alike_for_known_and_unknown_addresses,
    bad_registration_input_says_what_to_fix_and_keeps_what_was_typed,
    sign_in_answers_alike_for_unknown_addresses_and_wrong_passwords,
    a_confirmation_link_works_once,
    signing_out_ends_the_session_on_the_server,
    the_next_redirect_stays_on_this_site,
    a_forgotten_password_is_reset_by_a_mailed_link_and_old_sessions_end,
    a_reset_for_an_unknown_address_answers_alike_and_sends_nothing,
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    a_person_sees_their_sessions_and_ends_another_one,
    repeated_failures_from_one_address_are_throttled,
    the_per_account_limit_does_not_lock_the_owner_out_of_a_known_address,
    the_demo_accounts_in_the_readme_sign_in,
    a_person_downloads_everything_held_about_them,
    deleting_the_account_removes_personal_data_and_ends_every_session,
);

async fn a_person_registers_confirms_by_email_and_signs_in(app: TestApp) {
    let email = app.address("anna");
    let link = app.sign_up(&email).await;
    let res = app.confirm(&link).await;
    assert_eq!(res.status(), 200);
    assert_has(&res.text().await.unwrap(), "Din e-postadress är bekräftad");

    let res = app.sign_in(&email, PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/account");
    let cookie = set_cookie_header(&res, "sid").expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (status, html) = app.text("/account").await;
    assert_eq!(status, 200);
    assert_has(&html, "Anna Berg");
    assert_has(&html, &email);
}

async fn state_changing_requests_without_the_csrf_token_are_refused(app: TestApp) {
    let _ = app.csrf("/login").await; // the client now holds a CSRF cookie
    // Paths that take POST. A method a path lacks is a 405 before any CSRF
    // check (tests/http/openapi_contract.rs); a path nothing answers, a 404.
    for path in ["/register", "/login", "/logout", "/confirm/abc"] {
        let res = app
            .client
            .post(app.url(path))
            .form(&[("email", "a@b.se")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "POST {path} without a token");
        let res = app
            .client
            .post(app.url(path))
            .form(&[("csrf_token", &"0".repeat(64))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "POST {path} with a wrong token");
        for method in [
            reqwest::Method::PUT,
            reqwest::Method::PATCH,
            reqwest::Method::DELETE,
        ] {
            let res = app
                .client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 405, "{method} {path}");
        }
    }
    // A page explains in the visitor's language; the API answers JSON.
    let res = app.client.post(app.url("/login")).send().await.unwrap();
    assert_has(&res.text().await.unwrap(), "saknade en giltig säkerhetskod");
    let res =
        app.client
            .put(app.url(
                "/api/v1/agreements/malmoandan/plans/2018-2022/activities/samordning-och-vardpar",
            ))
            .send()
            .await
            .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["status"], 403);
    // A token sent in the header is accepted like the form field.
    let token = app.csrf("/login").await;
    let res = app
        .client
        .post(app.url("/logout"))
        .header("x-csrf-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

async fn registration_answers_alike_for_known_and_unknown_addresses(app: TestApp) {
    let email = app.address("known");
    app.sign_up(&email).await;
    let again = app
        .submit(
            "/register",
            "/register",
            &[
                ("display_name", "Someone"),
                ("email", &email),
                ("password", "ett helt annat lösenord"),
            ],
        )
        .await;
    assert_eq!(again.status(), 200);
    assert_has(&again.text().await.unwrap(), "Kontrollera din e-post");
    app.run_jobs().await;
    let mails = smtp::server().messages_to(&email);
    assert_eq!(mails.len(), 2);
    assert_has(&mails[1].body, "redan ett konto");
}

async fn bad_registration_input_says_what_to_fix_and_keeps_what_was_typed(app: TestApp) {
    let res = app
        .submit(
            "/register",
            "/register",
            &[
                ("display_name", "Anna <b>Berg</b>"),
                ("email", "anna-at-example"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Skriv e-postadressen som namn@exempel.se.");
    assert_has(&html, "Lösenordet är för kort");
    assert_has(&html, "value=\"anna-at-example\"");
    assert_has(&html, "value=\"Anna &#60;b&#62;Berg&#60;/b&#62;\"");
    assert!(
        !html.contains("value=\"kort\""),
        "the password is never sent back"
    );
    assert_has(&html, "aria-invalid=\"true\"");
    let res = app
        .submit(
            "/register",
            "/register",
            &[
                ("display_name", "Anna"),
                ("email", &app.address("c")),
                ("password", "q1w2e3r4t5y6"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "vanliga eller läckta lösenord");
}

async fn sign_in_answers_alike_for_unknown_addresses_and_wrong_passwords(app: TestApp) {
    let email = app.address("bo");
    let link = app.sign_up(&email).await;
    let unconfirmed = app.sign_in(&email, PASSWORD).await;
    assert_eq!(unconfirmed.status(), 401);
    assert_has(
        &unconfirmed.text().await.unwrap(),
        "Bekräfta din e-postadress först",
    );
    app.confirm(&link).await;
    let wrong = app.sign_in(&email, "fel lösenord helt och hållet").await;
    let unknown = app.sign_in(&app.address("nobody"), PASSWORD).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_has(&wrong, "E-postadressen eller lösenordet stämmer inte.");
    assert_has(&unknown, "E-postadressen eller lösenordet stämmer inte.");
    assert_has(&wrong, &format!("value=\"{email}\""));
}

async fn a_confirmation_link_works_once(app: TestApp) {
    let link = app.sign_up(&app.address("once")).await;
    assert_eq!(app.confirm(&link).await.status(), 200);
    let again = app.confirm(&link).await;
    assert_eq!(again.status(), 400);
    assert_has(&again.text().await.unwrap(), "Länken fungerar inte");
    assert_eq!(app.confirm("/confirm/not-a-real-token").await.status(), 400);
}

async fn signing_out_ends_the_session_on_the_server(app: TestApp) {
    let email = app.address("cecilia");
    let link = app.sign_up(&email).await;
    app.confirm(&link).await;
    let res = app.sign_in(&email, PASSWORD).await;
    let sid = format!("sid={}", set_cookie(&res, "sid").expect("a session cookie"));
    let res = app.submit("/account", "/logout", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get("/account").await.status(), 303);
    // The old cookie value no longer works, even when replayed.
    let res = bare()
        .get(app.url("/account"))
        .header("cookie", sid)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=%2Faccount");
}

async fn the_next_redirect_stays_on_this_site(app: TestApp) {
    let email = app.address("dan");
    let link = app.sign_up(&email).await;
    app.confirm(&link).await;
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/account");
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "/agreements/malmoandan"),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/agreements/malmoandan");
    // What browsers would read as another site, or what cannot be a header:
    // signing in still works, and lands on the account page with a cookie.
    for next in [
        "/\t/evil.example/",
        "/\\evil.example/",
        "/account\r\nSet-Cookie: planted=1",
        "/\n/evil.example",
        "/konto/ö",
    ] {
        let client = browser();
        let token = app.csrf_of(&client, "/login").await;
        let res = client
            .post(app.url("/login"))
            .form(&[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", next),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{next:?}");
        assert_eq!(res.headers()["location"], "/account", "{next:?}");
        assert!(
            set_cookie(&res, "sid").is_some(),
            "{next:?}: the session cookie is set"
        );
    }
    // The sign-in page does not carry such a target from a crafted link.
    for crafted in [
        "%2F%09%2Fevil.example%2F",
        "%2Faccount%0D%0AX%3A%201",
        "%2F%5Cevil.example",
    ] {
        let (status, html) = app.text(&format!("/login?next={crafted}")).await;
        assert_eq!(status, 200);
        assert_has(&html, "name=\"next\" value=\"/account\"");
        assert_eq!(html.matches("name=\"next\"").count(), 1, "{crafted}");
    }
}

async fn a_forgotten_password_is_reset_by_a_mailed_link_and_old_sessions_end(app: TestApp) {
    let email = app.confirmed_account("eva").await;
    let other = browser();
    assert_eq!(
        app.sign_in_with(&other, &email, PASSWORD).await.status(),
        303
    );
    let res = app
        .submit("/forgot-password", "/forgot-password", &[("email", &email)])
        .await;
    assert_has(&res.text().await.unwrap(), "har vi skickat en länk");
    app.run_jobs().await;
    let link = link_in(
        &smtp::server().messages_to(&email).last().unwrap().body,
        "/reset/",
    );
    // A weak password is refused and the link still works.
    let res = app.submit(&link, &link, &[("password", "kort")]).await;
    assert_eq!(res.status(), 422);
    let res = app
        .submit(&link, &link, &[("password", "en ny och bättre fras")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?reset=done");
    // The other browser was signed out; the old password no longer works.
    assert_eq!(app.page(&other, "/account").await.0, 303);
    assert_eq!(app.sign_in(&email, PASSWORD).await.status(), 401);
    assert_eq!(
        app.sign_in(&email, "en ny och bättre fras").await.status(),
        303
    );
    // The link works once, and the owner is told of the change.
    assert_eq!(app.get(&link).await.status(), 400);
    app.run_jobs().await;
    assert_has(
        &smtp::server().messages_to(&email).last().unwrap().body,
        "har just ändrats",
    );
}

async fn a_reset_for_an_unknown_address_answers_alike_and_sends_nothing(app: TestApp) {
    let unknown = app.address("ingen");
    let res = app
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", &unknown)],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_has(&res.text().await.unwrap(), "har vi skickat en länk");
    app.run_jobs().await;
    assert!(smtp::server().messages_to(&unknown).is_empty());
}

async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(app: TestApp) {
    let email = app.confirmed_account("filip").await;
    app.sign_in(&email, PASSWORD).await;
    let other = browser();
    app.sign_in_with(&other, &email, PASSWORD).await;
    let res = app
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", "fel fel fel fel"),
                ("new_password", "en ny och bättre fras"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Det nuvarande lösenordet stämmer inte.",
    );
    let res = app
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "en ny och bättre fras"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get("/account").await.status(),
        200,
        "this session stays"
    );
    assert_eq!(app.page(&other, "/account").await.0, 303, "the other ends");
    app.run_jobs().await;
    assert_has(
        &smtp::server().messages_to(&email).last().unwrap().subject,
        "Samverkan",
    );
}

async fn a_person_sees_their_sessions_and_ends_another_one(app: TestApp) {
    let email = app.confirmed_account("greta").await;
    app.sign_in(&email, PASSWORD).await;
    let other = browser();
    app.sign_in_with(&other, &email, PASSWORD).await;
    let (_, html) = app.text("/account").await;
    assert_has(&html, "Den här webbläsaren");
    assert_has(&html, "En annan inloggning");
    let start = html.find("name=\"session\" value=\"").unwrap() + "name=\"session\" value=\"".len();
    let handle = html[start..start + 64].to_owned();
    // Someone else's session cannot be ended by handle.
    let intruder = app.confirmed_account("intruder").await;
    let third = browser();
    app.sign_in_with(&third, &intruder, PASSWORD).await;
    let page = app.page(&third, "/account").await.1;
    let token = samverkan_testkit::csrf_in(&page).unwrap();
    let res = third
        .post(app.url("/account/sessions/revoke"))
        .form(&[("session", handle.as_str()), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(app.page(&other, "/account").await.0, 200);
    // The owner can.
    let res = app
        .submit(
            "/account",
            "/account/sessions/revoke",
            &[("session", &handle)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.page(&other, "/account").await.0, 303);
    assert_eq!(app.get("/account").await.status(), 200);
}

async fn repeated_failures_from_one_address_are_throttled(app: TestApp) {
    let email = app.confirmed_account("hugo").await;
    for _ in 0..samverkan_app::accounts::MAX_FAILURES_PER_ADDRESS {
        assert_eq!(
            app.sign_in(&email, "fel lösenord helt och hållet")
                .await
                .status(),
            401
        );
    }
    let res = app.sign_in(&email, PASSWORD).await;
    assert_eq!(res.status(), 401);
    assert_has(&res.text().await.unwrap(), "För många misslyckade försök");
    // The owner signing in from another address is not locked out.
    let session = app
        .app
        .sign_in(&email, PASSWORD, "192.0.2.10", "test")
        .await;
    assert!(session.is_ok(), "{session:?}");
}

async fn a_person_downloads_everything_held_about_them(app: TestApp) {
    let email = app.confirmed_account("ines").await;
    app.sign_in(&email, "fel lösenord helt och hållet").await;
    app.sign_in(&email, PASSWORD).await;
    let res = app.get("/account/export").await;
    assert_eq!(res.status(), 200);
    assert_has(
        res.headers()["content-disposition"].to_str().unwrap(),
        "attachment",
    );
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["account"]["email"], email.as_str());
    assert_eq!(data["account"]["display_name"], "Anna Berg");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(data["failed_sign_ins"].as_array().unwrap().len(), 1);
    assert!(
        !data.to_string().contains("$argon2"),
        "never the password hash"
    );
    let anonymous = browser();
    let res = anonymous
        .get(app.url("/account/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (status, html) = app.text("/privacy").await;
    assert_eq!(status, 200);
    assert_has(&html, "Hur länge");
}

async fn deleting_the_account_removes_personal_data_and_ends_every_session(app: TestApp) {
    let email = app.confirmed_account("jonas").await;
    app.sign_in(&email, PASSWORD).await;
    let other = browser();
    app.sign_in_with(&other, &email, PASSWORD).await;
    let res = app
        .submit(
            "/account",
            "/account/delete",
            &[("password", "fel fel fel fel")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.get("/account").await.status(), 200, "nothing happened");
    let res = app
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), 200);
    assert_has(&res.text().await.unwrap(), "Kontot är raderat");
    assert_eq!(app.get("/account").await.status(), 303);
    assert_eq!(app.page(&other, "/account").await.0, 303);
    assert_eq!(app.sign_in(&email, PASSWORD).await.status(), 401);
    assert!(
        app.db.db.user_by_email(&email).await.unwrap().is_none(),
        "the address is gone"
    );
    // The address can be used for a new account.
    let link = app.sign_up(&email).await;
    assert_eq!(app.confirm(&link).await.status(), 200);
}

async fn the_per_account_limit_does_not_lock_the_owner_out_of_a_known_address(app: TestApp) {
    let email = app.confirmed_account("kim").await;
    let owner = "192.0.2.20";
    assert!(
        app.app
            .sign_in(&email, PASSWORD, owner, "test")
            .await
            .is_ok()
    );
    // An attacker spreads failures over many addresses until the account limit.
    for i in 0..samverkan_app::accounts::MAX_FAILURES_PER_ACCOUNT {
        let attacker = format!("198.51.100.{}", i % 250);
        assert!(
            app.app
                .sign_in(&email, "gissning gissning", &attacker, "bot")
                .await
                .is_err()
        );
    }
    // A new address is refused even with the right password…
    let refused = app
        .app
        .sign_in(&email, PASSWORD, "203.0.113.5", "test")
        .await;
    assert!(
        matches!(
            refused,
            Err(samverkan_app::Error::SignIn(
                samverkan_app::SignInProblem::TooManyAttempts
            ))
        ),
        "{refused:?}"
    );
    // …while the owner's known address still works.
    assert!(
        app.app
            .sign_in(&email, PASSWORD, owner, "test")
            .await
            .is_ok()
    );
}

async fn the_demo_accounts_in_the_readme_sign_in(app: TestApp) {
    let readme = include_str!("../../../../README.md");
    for (email, password) in [
        (
            "ordforande@rosengardsstjarnan.example",
            "rosengård demo lösenord",
        ),
        ("anna@malmo.example", "malmö demo lösenord"),
    ] {
        assert!(
            readme.contains(email) && readme.contains(password),
            "the README gives {email}"
        );
        let client = browser();
        assert_eq!(
            app.sign_in_with(&client, email, password).await.status(),
            303,
            "{email}"
        );
        let page = app.page(&client, "/account").await.1;
        assert_has(&page, email);
        if email.starts_with("ordforande") {
            assert_has(&page, "Bollklubben Rosengårdsstjärnan");
            assert_has(&page, "administratör");
        }
    }
}
