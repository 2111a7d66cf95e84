/// Declares an enum stored and sent as one short string (its text, the same
/// in the database, the JSON and the forms), with
/// `as_str`, `parse` (clear error naming the allowed values), `ALL`, serde and
/// an OpenAPI schema. One definition keeps the database text, the JSON and the
/// translation keys the same.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

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
