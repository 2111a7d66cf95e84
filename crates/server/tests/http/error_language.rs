//! A refusal a person can read is worded from the catalogue in the page's
//! language: a Swedish page says what is wrong in Swedish, the English page
//! in English, and the JSON API keeps its English text. (`lang=` is
//! remembered in a cookie, so each request names its language.)

use crate::assert_has;
use samverkan_testkit::{TestApp, both_backends};

both_backends!(
    an_unknown_register_filter_is_explained_in_the_pages_language,
    an_unknown_challenge_filter_is_explained_in_the_pages_language,
    the_api_keeps_its_english_message,
);

const REGISTER: &str = "/agreements/malmoandan/register";
const CHALLENGE: &str = "/agreements/malmoandan/challenges/jamlik-fritid-och-kultur";

/// The page's "what is wrong" paragraph.
fn detail(html: &str) -> &str {
    html.split("class=\"error-detail\"")
        .nth(1)
        .expect("the error page says what is wrong")
        .split("</p>")
        .next()
        .unwrap()
}

async fn an_unknown_register_filter_is_explained_in_the_pages_language(app: TestApp) {
    for (query, swedish, english) in [
        (
            "form=nonsense",
            "Samverkansformen ”nonsense” finns inte",
            "is not known. Leave it empty or pick one from the list.",
        ),
        (
            "body=finns-inte",
            "Nämnden ”finns-inte” finns inte",
            "The body ",
        ),
        (
            "organisation=okand-forening",
            "Organisationen ”okand-forening” finns inte",
            "The organisation ",
        ),
        (
            "year=tjugo",
            "Året ”tjugo” går inte att tolka",
            "cannot be read. Write four digits, such as 2022.",
        ),
    ] {
        let (status, sv) = app.text(&format!("{REGISTER}?{query}&lang=sv")).await;
        assert_eq!(status, 400, "{query}");
        let sv = detail(&sv);
        assert_has(sv, swedish);
        assert!(!sv.contains("is not"), "English on a Swedish page: {sv}");
        let (status, en) = app.text(&format!("{REGISTER}?{query}&lang=en")).await;
        assert_eq!(status, 400, "{query}");
        let en = detail(&en);
        assert_has(en, english);
        assert!(
            !en.contains("finns inte"),
            "Swedish on an English page: {en}"
        );
    }
}

async fn an_unknown_challenge_filter_is_explained_in_the_pages_language(app: TestApp) {
    let (status, sv) = app.text(&format!("{CHALLENGE}?district=ingenstans")).await;
    assert_eq!(status, 400);
    let sv = detail(&sv);
    assert_has(sv, "är inte ett av valen på sidan");
    assert_has(sv, "ingenstans");
    let (status, en) = app
        .text(&format!("{CHALLENGE}?district=ingenstans&lang=en"))
        .await;
    assert_eq!(status, 400);
    assert_has(detail(&en), "is not one of the choices on the page");
    let (status, sv) = app
        .text(&format!("{CHALLENGE}?status=halvklar&lang=sv"))
        .await;
    assert_eq!(status, 400);
    let sv = detail(&sv);
    assert_has(sv, "Statusen ”halvklar” finns inte");
    let (_, en) = app
        .text(&format!("{CHALLENGE}?status=halvklar&lang=en"))
        .await;
    assert_has(detail(&en), "is not known. Leave it empty");
}

async fn the_api_keeps_its_english_message(app: TestApp) {
    let (status, body) = app
        .text("/api/v1/agreements/malmoandan/register?year=1999")
        .await;
    assert_eq!(status, 400);
    assert_has(&body, "must be a year of four digits");
}
