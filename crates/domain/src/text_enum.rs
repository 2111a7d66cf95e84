/// Declares an enum stored and sent as one short string (its text, the same
/// in the database, the JSON and the forms), with
/// `as_str`, `parse` (clear error naming the allowed values), `ALL`, serde and
/// an OpenAPI schema. One definition keeps the database text, the JSON and the
/// translation keys the same.
///
/// The OpenAPI schema is written here rather than derived: `utoipa`'s derive
/// does not see a `serde(rename)` whose value comes from a macro argument and
/// would list the variants' Rust names (`WoundDown`) instead of the text the
/// JSON and the query parameters use (`wound_down`). The schema is a string
/// whose `enum` is exactly the texts, in order.
macro_rules! text_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let doc: &[&str] = &[$($doc),*];
                let description = doc.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description((!description.is_empty()).then_some(description))
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Result<Self, $crate::ParseError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::ParseError(format!(
                        "'{}' is not a valid {}; use one of: {}",
                        other,
                        stringify!($name),
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

pub(crate) use text_enum;
