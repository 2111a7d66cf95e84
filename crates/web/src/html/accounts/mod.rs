//! Accounts: register, confirm the e-mail address, sign in and out, the
//! account page. Forms keep what was typed (never the password) and say per
//! field what to fix.

pub(super) mod admin;

use crate::AppState;
use crate::client::ClientAddress;
use crate::error::PageError;
use crate::html::forms::{Problems, answer, too_many, unprocessable};
use crate::html::render;
use crate::page::{Page, PageCtx};
use crate::session::{COOKIE as SESSION_COOKIE, SignedIn};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use samverkan_app::Error;
use samverkan_app::accounts::SignUpForm;
use std::collections::HashMap;

type Fields = Form<HashMap<String, String>>;

fn value(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

/// A `next=` target: only a path on this site (`LocalPath`); anything else
/// is dropped for the account page.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(|p| samverkan_domain::LocalPath::parse(p).ok())
        .map_or_else(|| "/account".to_owned(), |p| p.to_string())
}

#[derive(Template)]
#[template(path = "accounts/sign_up.html")]
struct SignUpPage {
    page: Page,
    email: String,
    display_name: String,
    problems: Problems,
}

pub async fn sign_up_form(ctx: PageCtx) -> Result<Response, PageError> {
    let page = ctx.page(ctx.t().get("register-title"), None);
    render(SignUpPage {
        page,
        email: String::new(),
        display_name: String::new(),
        problems: Problems::default(),
    })
}

#[derive(Template)]
#[template(path = "accounts/check_email.html")]
struct CheckEmailPage {
    page: Page,
    email: String,
}

pub async fn sign_up(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientAddress(address): ClientAddress,
    Form(form): Fields,
) -> Result<Response, PageError> {
    let input = SignUpForm {
        email: value(&form, "email"),
        display_name: value(&form, "display_name"),
        password: value(&form, "password"),
    };
    let refused = |problems: Problems| {
        render(SignUpPage {
            page: ctx.page(ctx.t().get("register-title"), None),
            email: input.email.clone(),
            display_name: input.display_name.clone(),
            problems,
        })
    };
    match state.app.sign_up(&input, &address).await {
        Ok(()) => render(CheckEmailPage {
            page: ctx.page(ctx.t().get("check-email-title"), None),
            email: input.email.trim().to_owned(),
        }),
        Err(Error::Validation(errors)) => Ok(unprocessable(refused(Problems::from_errors(
            &ctx, &errors,
        ))?)),
        Err(Error::Throttled(t)) => {
            Ok(too_many(refused(Problems::throttled(&ctx, t, "email"))?, t))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/confirm.html")]
struct ConfirmPage {
    page: Page,
    token: String,
    done: Option<bool>,
}

pub async fn confirm_form(ctx: PageCtx, Path(token): Path<String>) -> Result<Response, PageError> {
    render(ConfirmPage {
        page: ctx.page(ctx.t().get("confirm-title"), None),
        token,
        done: None,
    })
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let page = ctx.page(ctx.t().get("confirm-title"), None);
    match state.app.confirm_email(&token).await {
        Ok(()) => render(ConfirmPage {
            page,
            token: String::new(),
            done: Some(true),
        }),
        Err(Error::NotFound(_)) => {
            let mut res = render(ConfirmPage {
                page,
                token: String::new(),
                done: Some(false),
            })?;
            *res.status_mut() = StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    problem: Option<String>,
    after_reset: bool,
}

pub async fn login_form(ctx: PageCtx, params: crate::query::Params) -> Result<Response, PageError> {
    let next = safe_next(params.0.get("next").map(String::as_str));
    let after_reset = params.0.get("reset").is_some_and(|v| v == "done");
    render(LoginPage {
        page: ctx.page(ctx.t().get("login-title"), None),
        email: String::new(),
        next,
        problem: None,
        after_reset,
    })
}

pub async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Fields,
) -> Result<Response, PageError> {
    let email = value(&form, "email");
    let next = safe_next(form.get("next").map(String::as_str));
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let password = value(&form, "password");
    let problem = match state.app.sign_in(&email, &password, &address, agent).await {
        Ok(session) => return Ok(signed_in(&state, &next, &session.0)),
        Err(Error::SignIn(problem)) => problem,
        Err(e) => return Err(e.into()),
    };
    let page = ctx.page(ctx.t().get("login-title"), None);
    let problem = Some(ctx.t().get(problem.code()).into_owned());
    let res = render(LoginPage {
        page,
        email,
        next,
        problem,
        after_reset: false,
    })?;
    Ok(answer(res, StatusCode::UNAUTHORIZED))
}

/// After sign-in: to `next`, with the new session's cookie.
fn signed_in(state: &AppState, next: &str, session: &str) -> Response {
    let mut res = Redirect::to(next).into_response();
    crate::cookies::set(
        res.headers_mut(),
        SESSION_COOKIE,
        session,
        "Lax",
        None,
        state.config.secure_cookies,
    );
    res
}

pub async fn logout(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
) -> Result<Response, PageError> {
    if let Some(axum::Extension(SignedIn(user))) = user {
        state.app.sign_out(&user).await?;
    }
    let mut res = Redirect::to("/").into_response();
    crate::cookies::set(
        res.headers_mut(),
        SESSION_COOKIE,
        "",
        "Lax",
        Some(0),
        state.config.secure_cookies,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    page: Page,
    user: samverkan_app::accounts::CurrentUser,
    sessions: Vec<samverkan_app::accounts::SessionInfo>,
    roles: samverkan_app::roles::Roles,
    applications: Vec<samverkan_app::joining::Application>,
    problems: Problems,
    done: Option<String>,
    /// The new address as typed in the change-of-address form.
    new_email: String,
}

async fn account_page(
    state: &AppState,
    ctx: &PageCtx,
    user: samverkan_app::accounts::CurrentUser,
    problems: Problems,
    done: Option<String>,
) -> Result<Response, PageError> {
    account_page_with(state, ctx, user, problems, done, String::new()).await
}

async fn account_page_with(
    state: &AppState,
    ctx: &PageCtx,
    user: samverkan_app::accounts::CurrentUser,
    problems: Problems,
    done: Option<String>,
    new_email: String,
) -> Result<Response, PageError> {
    let sessions = state.app.sessions(&user).await?;
    let roles = state.app.roles(&user).await?;
    let applications = state.app.my_applications(&user).await?;
    render(AccountPage {
        page: ctx.page(ctx.t().get("account-title"), None),
        user,
        sessions,
        roles,
        applications,
        problems,
        done,
        new_email,
    })
}

pub async fn account(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: crate::query::Params,
    SignedIn(user): SignedIn,
) -> Result<Response, PageError> {
    let done = crate::html::forms::notice(
        &ctx,
        &params,
        &[
            "password",
            "revoked",
            "applied",
            "withdrawn",
            "already-decided",
            "email-requested",
        ],
    );
    account_page(&state, &ctx, user, Problems::default(), done).await
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Form(form): Fields,
) -> Result<Response, PageError> {
    match state
        .app
        .change_password(
            &user,
            &value(&form, "current_password"),
            &value(&form, "new_password"),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let mut res = account_page(&state, &ctx, user, problems, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_session(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(form): Fields,
) -> Result<Response, PageError> {
    state
        .app
        .revoke_session(&user, &value(&form, "session"))
        .await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}

pub async fn export(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, PageError> {
    let data = state.app.export_personal_data(&user).await?;
    let body = serde_json::to_string_pretty(&data)
        .map_err(|e| Error::internal("personal data export", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"samverkan-my-data.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "accounts/deleted.html")]
struct DeletedPage {
    page: Page,
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Form(form): Fields,
) -> Result<Response, PageError> {
    match state
        .app
        .delete_account(&user, &value(&form, "password"))
        .await
    {
        Ok(()) => {
            let mut page = ctx.page(ctx.t().get("deleted-title"), None);
            page.user_name = None;
            let mut res = render(DeletedPage { page })?;
            crate::cookies::set(
                res.headers_mut(),
                SESSION_COOKIE,
                "",
                "Lax",
                Some(0),
                state.config.secure_cookies,
            );
            Ok(res)
        }
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors).for_field("delete_password");
            let mut res = account_page(&state, &ctx, user, problems, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    page: Page,
    sent_to: Option<String>,
    /// What was typed, when the form comes back.
    email: String,
    problems: Problems,
}

pub async fn forgot_form(ctx: PageCtx) -> Result<Response, PageError> {
    render(ForgotPage {
        page: ctx.page(ctx.t().get("forgot-title"), None),
        sent_to: None,
        email: String::new(),
        problems: Problems::default(),
    })
}

pub async fn forgot(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientAddress(address): ClientAddress,
    Form(form): Fields,
) -> Result<Response, PageError> {
    let email = value(&form, "email");
    let page = ctx.page(ctx.t().get("forgot-title"), None);
    match state.app.request_password_reset(&email, &address).await {
        Ok(()) => render(ForgotPage {
            page,
            sent_to: Some(email.trim().to_owned()),
            email: String::new(),
            problems: Problems::default(),
        }),
        Err(Error::Throttled(t)) => Ok(too_many(
            render(ForgotPage {
                page,
                sent_to: None,
                email,
                problems: Problems::throttled(&ctx, t, "email"),
            })?,
            t,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    page: Page,
    token: String,
    valid: bool,
    problems: Problems,
}

pub async fn reset_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let valid = state.app.reset_link_is_valid(&token).await?;
    let page = ctx.page(ctx.t().get("reset-title"), None);
    let mut res = render(ResetPage {
        page,
        token,
        valid,
        problems: Problems::default(),
    })?;
    if !valid {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn reset(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Form(form): Fields,
) -> Result<Response, PageError> {
    let page = ctx.page(ctx.t().get("reset-title"), None);
    let password = value(&form, "password");
    let (valid, problems, status) = match state.app.reset_password(&token, &password).await {
        Ok(()) => return Ok(Redirect::to("/login?reset=done").into_response()),
        Err(Error::Validation(errors)) => (
            true,
            Problems::from_errors(&ctx, &errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Error::NotFound(_)) => (false, Problems::default(), StatusCode::BAD_REQUEST),
        Err(e) => return Err(e.into()),
    };
    let res = render(ResetPage {
        page,
        token,
        valid,
        problems,
    })?;
    Ok(answer(res, status))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_goes_only_to_a_path_on_this_site() {
        assert_eq!(
            safe_next(Some("/agreements/malmoandan")),
            "/agreements/malmoandan"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example/",
            "/account\r\nSet-Cookie: a=b",
            "evil",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad)), "/account", "{bad}");
        }
        assert_eq!(safe_next(None), "/account");
    }
}

pub async fn change_email(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(user): SignedIn,
    Form(form): Fields,
) -> Result<Response, PageError> {
    let new_email = value(&form, "new_email");
    match state
        .app
        .request_email_change(&user, &value(&form, "password"), &new_email)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=email-requested").into_response()),
        Err(Error::Validation(errors)) => {
            let problems = Problems::from_errors(&ctx, &errors);
            let mut res = account_page_with(&state, &ctx, user, problems, None, new_email).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(Error::Throttled(t)) => {
            let problems = Problems::throttled(&ctx, t, "new_email");
            let res = account_page_with(&state, &ctx, user, problems, None, new_email).await?;
            Ok(too_many(res, t))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/confirm_email.html")]
struct ConfirmEmailPage {
    page: Page,
    token: String,
    done: Option<bool>,
}

pub async fn confirm_email_form(
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    render(ConfirmEmailPage {
        page: ctx.page(ctx.t().get("confirm-email-title"), None),
        token,
        done: None,
    })
}

pub async fn confirm_email(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let done = match state.app.confirm_email_change(&token).await {
        Ok(()) => true,
        Err(Error::NotFound(_) | Error::Conflict(_)) => false,
        Err(e) => return Err(e.into()),
    };
    let mut res = render(ConfirmEmailPage {
        page: ctx.page(ctx.t().get("confirm-email-title"), None),
        token: String::new(),
        done: Some(done),
    })?;
    if !done {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(res)
}
