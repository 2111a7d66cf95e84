//! Query parameters parsed by hand so that a malformed value gets a 400 with
//! a message naming the parameter and what it should look like.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use samverkan_app::{Error, ParameterProblem, ParameterRule};
use std::collections::HashMap;

/// The query string as name → value; unknown names are ignored by callers.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = crate::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::BadRequest("the query string is malformed".into()))?;
        Ok(Params(map))
    }
}

impl Params {
    /// An optional whole number ≥ 1, e.g. a version number.
    pub fn number(&self, name: &str) -> Result<Option<i32>, Error> {
        match self.0.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(text) => match text.parse::<i32>() {
                Ok(n) if n >= 1 => Ok(Some(n)),
                _ => Err(problem(name, Some(text), ParameterRule::WholeNumber)),
            },
        }
    }

    pub fn required_number(&self, name: &str) -> Result<i32, Error> {
        self.number(name)?
            .ok_or_else(|| problem(name, None, ParameterRule::Required))
    }

    /// `format=json|csv`, defaulting to JSON.
    pub fn wants_csv(&self) -> Result<bool, Error> {
        match self.0.get("format").map(String::as_str) {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(other) => Err(problem(
                "format",
                Some(other),
                ParameterRule::OneOf("json or csv"),
            )),
        }
    }
}

fn problem(name: &str, given: Option<&str>, rule: ParameterRule) -> Error {
    Error::InvalidParameter(ParameterProblem {
        name: name.to_owned(),
        given: given.map(str::to_owned),
        rule,
    })
}
