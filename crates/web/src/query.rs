//! Query parameters parsed by hand so that a malformed value gets a 400 with
//! a message naming the parameter and what it should look like.
//!
//! The pages read forms, where an empty field means "any" (`number`,
//! `required_number`). The API reads with the `api_*` methods, which keep
//! the promise of the OpenAPI document to the letter: each parameter is
//! declared there with the same type, range, pattern or values these
//! methods accept, and a parameter that is given must have such a value
//! (`?page=` or `?status=` is a 400, not "any": leave the parameter out).

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use samverkan_app::{Error, Message, ParameterProblem, ParameterRule};
use std::collections::HashMap;

/// The query string as name → value; unknown names are ignored by callers.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = crate::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::bad_request("query-malformed", "the query string is malformed"))?;
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

    /// The page of a list asked for: a whole number from 1, the default;
    /// anything else is a 400.
    pub fn page_number(&self) -> Result<usize, Error> {
        Ok(self.number("page")?.map_or(1, |n| n as usize))
    }

    pub fn required_number(&self, name: &str) -> Result<i32, Error> {
        self.number(name)?
            .ok_or_else(|| problem(name, None, ParameterRule::Required))
    }

    /// `format=json|csv`, defaulting to JSON; anything else, the empty
    /// value included, is a 400. Declared in the document as [`Format`].
    pub fn wants_csv(&self) -> Result<bool, Error> {
        Ok(self.format()? == Format::Csv)
    }

    /// `format`, defaulting to JSON.
    pub fn format(&self) -> Result<Format, Error> {
        match self.0.get("format").map(String::as_str) {
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some(other) => Err(problem(
                "format",
                Some(other),
                ParameterRule::OneOf("json or csv"),
            )),
        }
    }

    /// The value of an API parameter exactly as given (not trimmed); `None`
    /// when absent, a 400 when given empty.
    pub fn api_value(&self, name: &str) -> Result<Option<&str>, Error> {
        match self.0.get(name).map(String::as_str) {
            None => Ok(None),
            Some("") => Err(Error::BadRequest(
                Message::new(
                    "param-empty",
                    format!(
                        "the parameter '{name}' is empty: give a value or leave the parameter out"
                    ),
                )
                .arg("name", name),
            )),
            Some(v) => Ok(Some(v)),
        }
    }

    /// An API whole-number parameter in `min..=max` (the document declares
    /// the same `minimum` and `maximum`); digits only, no sign or spaces.
    pub fn api_number(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, Error> {
        self.api_value(name)?
            .map(|text| number_in(name, text, min, max))
            .transpose()
    }

    /// The page of a paged API list: a whole number from 1 (the default)
    /// to [`MAX_NUMBER`].
    pub fn api_page(&self) -> Result<usize, Error> {
        Ok(self
            .api_number("page", 1, MAX_NUMBER)?
            .map_or(1, |n| n as usize))
    }

    /// A required API whole number from 1 up (to [`MAX_NUMBER`]).
    pub fn api_required_number(&self, name: &str) -> Result<i64, Error> {
        self.api_number(name, 1, MAX_NUMBER)?
            .ok_or_else(|| problem(name, None, ParameterRule::Required))
    }

    /// An API parameter whose values are the texts of `T` (a `text_enum!`,
    /// declared in the document by its schema, an `enum` of those texts).
    pub fn api_choice<T: Copy>(
        &self,
        name: &str,
        all: &[T],
        text: impl Fn(T) -> &'static str,
    ) -> Result<Option<T>, Error> {
        let Some(given) = self.api_value(name)? else {
            return Ok(None);
        };
        all.iter()
            .copied()
            .find(|v| text(*v) == given)
            .map(Some)
            .ok_or_else(|| {
                let allowed: Vec<&str> = all.iter().map(|v| text(*v)).collect();
                Error::BadRequest(
                    Message::new(
                        "param-choice",
                        format!(
                            "the parameter '{name}' must be one of: {}; got '{given}'",
                            allowed.join(", ")
                        ),
                    )
                    .arg("name", name)
                    .arg("choices", allowed.join(", "))
                    .arg("value", given),
                )
            })
    }

    /// An API parameter that names something by its slug (declared with
    /// [`SLUG_PATTERN`]): a 400 when it is not a slug. Whether the slug
    /// names anything is the caller's question (a 404 when it does not).
    pub fn api_slug(&self, name: &str) -> Result<Option<&str>, Error> {
        let Some(given) = self.api_value(name)? else {
            return Ok(None);
        };
        samverkan_domain::Slug::parse(given).map_err(|e| {
            Error::BadRequest(Message::new("param-slug", format!(
                "the parameter '{name}' must be a slug (a–z, 0–9 and single dashes inside): {e}"
            )).arg("name", name).arg("value", given))
        })?;
        Ok(Some(given))
    }
}

/// A whole number of `text` in `min..=max`, or a 400 naming the parameter.
pub fn number_in(name: &str, text: &str, min: i64, max: i64) -> Result<i64, Error> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i64>() {
        Ok(n) if digits && (min..=max).contains(&n) => Ok(n),
        _ => Err(Error::BadRequest(Message::new("param-range", format!(
            "the parameter '{name}' must be a whole number from {min} to {max}; got '{text}'"
        )).arg("name", name).arg("min", min.to_string()).arg("max", max.to_string()).arg("value", text))),
    }
}

/// The largest `page`, version number or other count an API parameter takes.
pub const MAX_NUMBER: i64 = i32::MAX as i64;

/// The largest id an API path takes: 2^53 − 1, the largest whole number
/// every JSON reader holds exactly.
pub const MAX_ID: i64 = (1 << 53) - 1;

/// `format`: a list as JSON (the default) or as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Csv,
}

fn problem(name: &str, given: Option<&str>, rule: ParameterRule) -> Error {
    Error::InvalidParameter(ParameterProblem {
        name: name.to_owned(),
        given: given.map(str::to_owned),
        rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `pattern` of every parameter that names something by its slug,
    /// as `samverkan_domain::Slug::parse` accepts it (at most 80
    /// characters). The `#[utoipa::path]` annotations spell it out, since
    /// attributes take literals.
    const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
    const PARTY_PATTERN: &str = "^(organisation|city_body):[a-z0-9]+(-[a-z0-9]+)*$";

    #[test]
    fn every_pattern_in_the_document_is_the_slug_pattern() {
        let doc = serde_json::to_value(crate::api::openapi()).unwrap();
        let mut seen = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    if let Some(pattern) = p["schema"]["pattern"].as_str() {
                        let name = p["name"].as_str().unwrap();
                        let expected = if name == "party" {
                            PARTY_PATTERN
                        } else {
                            SLUG_PATTERN
                        };
                        assert_eq!(pattern, expected, "{method} {path} {name}");
                        if name != "party" {
                            assert_eq!(p["schema"]["maxLength"], 80, "{method} {path} {name}");
                        }
                        seen.push(name.to_owned());
                    }
                }
            }
        }
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen,
            [
                "body",
                "challenge",
                "district",
                "organisation",
                "party",
                "principle"
            ]
        );
        for ok in [
            "a",
            "kulturnamnden",
            "ungas-halsa-och-livsstil",
            "2021-2026",
        ] {
            assert!(samverkan_domain::Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "å"] {
            assert!(samverkan_domain::Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_digits_in_range() {
        assert_eq!(number_in("page", "1", 1, MAX_NUMBER).unwrap(), 1);
        assert_eq!(
            number_in("page", "2147483647", 1, MAX_NUMBER).unwrap(),
            MAX_NUMBER
        );
        for bad in ["", "0", " 1", "1 ", "+1", "-1", "1.0", "2147483648", "x"] {
            assert!(number_in("page", bad, 1, MAX_NUMBER).is_err(), "{bad:?}");
        }
        assert_eq!(
            number_in("record", "9007199254740991", 1, MAX_ID).unwrap(),
            MAX_ID
        );
        assert!(number_in("record", "9007199254740992", 1, MAX_ID).is_err());
    }

    #[test]
    fn an_empty_parameter_is_refused_not_read_as_absent() {
        let params = Params(HashMap::from([
            ("page".to_owned(), String::new()),
            ("format".to_owned(), String::new()),
        ]));
        assert!(params.api_number("page", 1, MAX_NUMBER).is_err());
        assert!(params.format().is_err());
        assert_eq!(params.api_value("other").unwrap(), None);
    }
}
