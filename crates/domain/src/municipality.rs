//! The public-sector parties an agreement is made with: a municipality
//! (kommun) or a region.

use crate::text_enum::text_enum;

text_enum! {
    MunicipalityKind {
        Municipality => "municipality",
        Region => "region",
    }
}
