//! The city's bodies: kommunfullmäktige, kommunstyrelsen, nämnder and förvaltningar.

use crate::text_enum::text_enum;

text_enum! {
    CityBodyKind {
        MunicipalCouncil => "municipal_council",
        ExecutiveBoard => "executive_board",
        Committee => "committee",
        Administration => "administration",
    }
}
