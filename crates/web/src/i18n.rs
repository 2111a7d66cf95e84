//! The translation catalogue: Fluent files for Swedish (the default) and
//! English, embedded in the binary and parsed once. Every string a page shows
//! comes through [`Tr::get`] or one of its helpers.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::LazyLock;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// A supported language by its code; anything else is `None` (callers
    /// fall back to Swedish).
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                Some((q, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges
            .into_iter()
            .filter(|(q, _)| *q > 0.0)
            .find_map(|(_, tag)| Lang::from_code(tag))
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }
}

/// The Swedish catalogue: one file per area, read as one.
pub const SV_FTL: &str = concat!(
    include_str!("../locales/sv.ftl"),
    "\n",
    include_str!("../locales/sv-plans.ftl"),
    "\n",
    include_str!("../locales/sv-import.ftl"),
    "\n",
    include_str!("../locales/sv-register.ftl"),
    "\n",
    include_str!("../locales/sv-register-import.ftl"),
    "\n",
    include_str!("../locales/sv-directory-import.ftl"),
    "\n",
    include_str!("../locales/sv-reports.ftl"),
    "\n",
    include_str!("../locales/sv-writing.ftl"),
    "\n",
    include_str!("../locales/sv-governance.ftl"),
    "\n",
    include_str!("../locales/sv-documents.ftl"),
    "\n",
    include_str!("../locales/sv-working-group.ftl"),
);
/// The English catalogue, file for file as the Swedish.
pub const EN_FTL: &str = concat!(
    include_str!("../locales/en.ftl"),
    "\n",
    include_str!("../locales/en-plans.ftl"),
    "\n",
    include_str!("../locales/en-import.ftl"),
    "\n",
    include_str!("../locales/en-register.ftl"),
    "\n",
    include_str!("../locales/en-register-import.ftl"),
    "\n",
    include_str!("../locales/en-directory-import.ftl"),
    "\n",
    include_str!("../locales/en-reports.ftl"),
    "\n",
    include_str!("../locales/en-writing.ftl"),
    "\n",
    include_str!("../locales/en-governance.ftl"),
    "\n",
    include_str!("../locales/en-documents.ftl"),
    "\n",
    include_str!("../locales/en-working-group.ftl"),
);

struct Catalogue {
    sv: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("the {lang} catalogue does not parse: {errors:?}"));
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Direction-isolation marks would show up inside HTML attributes and CSV.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .expect("no duplicate messages in the catalogue");
    bundle
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    sv: bundle("sv", SV_FTL),
    en: bundle("en", EN_FTL),
});

/// Loads the catalogue now rather than on the first request.
pub fn preload() {
    LazyLock::force(&CATALOGUE);
}

/// A value templates pass to date helpers, by value or by reference (askama
/// binds loop and `if let` variables as references).
pub trait DateArg {
    type Value: Copy;
    fn value(&self) -> Self::Value;
}

impl DateArg for Date {
    type Value = Date;
    fn value(&self) -> Date {
        *self
    }
}

impl DateArg for Option<Date> {
    type Value = Option<Date>;
    fn value(&self) -> Option<Date> {
        *self
    }
}

impl DateArg for samverkan_domain::DatePrecision {
    type Value = samverkan_domain::DatePrecision;
    fn value(&self) -> Self {
        *self
    }
}

impl<T: DateArg + ?Sized> DateArg for &T {
    type Value = T::Value;
    fn value(&self) -> T::Value {
        (**self).value()
    }
}

/// A value for a message argument: text or a number.
pub trait TextArg {
    fn fluent(&self) -> FluentValue<'static>;
}

impl TextArg for str {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl TextArg for String {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl TextArg for $t {
            fn fluent(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
number_arg!(usize, i32, i64, u64);

impl<T: TextArg + ?Sized> TextArg for &T {
    fn fluent(&self) -> FluentValue<'static> {
        (**self).fluent()
    }
}

/// A translator for one language.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    bundle: &'static FluentBundle<FluentResource>,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        let bundle = match lang {
            Lang::Sv => &CATALOGUE.sv,
            Lang::En => &CATALOGUE.en,
        };
        Tr { lang, bundle }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> Cow<'static, str> {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing translation");
            return Cow::Owned(key.to_owned());
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation did not format cleanly");
        }
        Cow::Owned(text.into_owned())
    }

    /// Whether the catalogue has the message `key`.
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// The message `key`.
    pub fn get(&self, key: &str) -> Cow<'static, str> {
        self.format(key, None)
    }

    /// The message `key` with one named argument.
    pub fn with(&self, key: &str, name: &str, value: impl TextArg) -> Cow<'static, str> {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.fluent());
        self.format(key, Some(&args))
    }

    /// The message `key` with named arguments.
    pub fn with_args(&self, key: &str, args: &[(&'static str, String)]) -> Cow<'static, str> {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.fluent());
        }
        self.format(key, Some(&fluent))
    }

    /// The label of an enum value: `{prefix}-{value}`, e.g. `agreement-status-adopted`.
    pub fn label(&self, prefix: &str, value: impl std::fmt::Display) -> Cow<'static, str> {
        self.get(&format!("{prefix}-{value}"))
    }

    /// An amount of money in whole kronor, grouped by thousands: "150 000 kr"
    /// / "SEK 150,000".
    pub fn sek(&self, amount: impl std::borrow::Borrow<i64>) -> String {
        let amount = *amount.borrow();
        let digits = amount.abs().to_string();
        let sep = if self.lang == Lang::Sv { '\u{a0}' } else { ',' };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        let sign = if amount < 0 { "-" } else { "" };
        match self.lang {
            Lang::Sv => format!("{sign}{grouped}\u{a0}kr"),
            Lang::En => format!("SEK\u{a0}{sign}{grouped}"),
        }
    }

    /// A date written out: "14 juni 2017" / "14 June 2017".
    pub fn date(&self, date: impl DateArg<Value = Date>) -> String {
        let date = date.value();
        format!("{} {} {}", date.day(), self.month(date), date.year())
    }

    /// A date at its precision: "14 juni 2017", "mars 2016" or "2014".
    pub fn partial_date(
        &self,
        date: impl DateArg<Value = Date>,
        precision: impl DateArg<Value = samverkan_domain::DatePrecision>,
    ) -> String {
        let date = date.value();
        use samverkan_domain::DatePrecision::*;
        match precision.value() {
            Day => self.date(date),
            Month => format!("{} {}", self.month(date), date.year()),
            Year => date.year().to_string(),
        }
    }

    /// A period "2018–2019" style, with an open end.
    pub fn period(
        &self,
        start: impl DateArg<Value = Date>,
        end: impl DateArg<Value = Option<Date>>,
    ) -> String {
        let start = start.value();
        match end.value() {
            Some(end) => format!("{} – {}", self.date(start), self.date(end)),
            None => self
                .with("period-open", "start", self.date(start))
                .into_owned(),
        }
    }

    fn month(&self, date: Date) -> Cow<'static, str> {
        self.get(&format!("month-{}", u8::from(date.month())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("de-DE, sv;q=0.5, en;q=0.4"),
            Some(Lang::Sv)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, sv;q=0.1"),
            Some(Lang::Sv)
        );
        assert_eq!(Lang::from_code("tlh"), None);
    }

    #[test]
    fn dates_are_written_out_in_each_language() {
        let d = time::macros::date!(2017 - 06 - 14);
        assert_eq!(Tr::new(Lang::Sv).date(d), "14 juni 2017");
        assert_eq!(Tr::new(Lang::En).date(d), "14 June 2017");
    }
}
