//! Word lists the scale data builds its Swedish-looking names and texts
//! from. Every place, organisation and person is made up: places and
//! organisations are combinations of common words, people a first name and
//! a surname drawn apart, so no row describes anyone real.

/// First halves of municipality names.
pub const PLACE_STARTS: &[&str] = &[
    "Björk", "Ek", "Lind", "Al", "Asp", "Rönn", "Gran", "Tall", "Sjö", "Berg", "Dal", "Hög", "Sol",
    "Sand", "Sten", "Ström", "Norr", "Söder", "Väster", "Öster", "Kvarn", "Hassel", "Ljung", "Mos",
    "Strand", "Vass", "Fager", "Gull", "Lyck", "Ros", "Hag", "Lövs",
];

/// Second halves of municipality names.
pub const PLACE_ENDS: &[&str] = &[
    "vik", "holm", "by", "köping", "berga", "dal", "ås", "hamn", "näs", "fors", "torp", "ryd",
    "lunda", "hult", "sund", "bro", "tuna", "stad", "måla", "fälle",
];

/// Districts every municipality has, in this order, before its villages.
pub const DISTRICTS: &[&str] = &["Centrum", "Norr", "Söder", "Öster", "Väster"];

/// Endings of village names (the village district is a start plus one).
pub const VILLAGE_ENDS: &[&str] = &["by", "torp", "åsen", "bäck", "mo", "hagen", "stad"];

/// Committees a municipality may have, each with its administration.
pub const COMMITTEES: &[(&str, &str, &str)] = &[
    (
        "Kultur- och fritidsnämnden",
        "Kultur- och fritidsförvaltningen",
        "bibliotek, kulturskola, idrottsanläggningar och stöd till föreningslivet",
    ),
    (
        "Socialnämnden",
        "Socialförvaltningen",
        "individ- och familjeomsorg, ekonomiskt bistånd och stöd till personer i utsatta situationer",
    ),
    (
        "Barn- och utbildningsnämnden",
        "Barn- och utbildningsförvaltningen",
        "förskola, grundskola och fritidshem",
    ),
    (
        "Vård- och omsorgsnämnden",
        "Vård- och omsorgsförvaltningen",
        "äldreomsorg, hemtjänst och stöd till personer med funktionsnedsättning",
    ),
    (
        "Arbetsmarknadsnämnden",
        "Arbetsmarknadsförvaltningen",
        "arbetsmarknadsinsatser, vuxenutbildning och etablering av nyanlända",
    ),
    (
        "Tekniska nämnden",
        "Tekniska förvaltningen",
        "gator, parker, lekplatser och kommunens lokaler",
    ),
    (
        "Miljö- och byggnadsnämnden",
        "Miljö- och byggnadsförvaltningen",
        "bygglov, miljötillsyn och stadsplanering",
    ),
    (
        "Gymnasienämnden",
        "Gymnasieförvaltningen",
        "gymnasieskola och gymnasiesärskola",
    ),
];

/// The six principles of the national agreement: (slug, name, description).
pub const PRINCIPLES: &[(&str, &str, &str)] = &[
    (
        "sjalvstandighet-och-oberoende",
        "Självständighet och oberoende",
        "Organisationerna bestämmer själva över sina mål och sin verksamhet och får vara kritiska röster, också när de tar emot stöd.",
    ),
    (
        "dialog",
        "Dialog",
        "Parterna möts regelbundet och i god tid innan beslut fattas, och båda kan ta initiativ till samtal.",
    ),
    (
        "kvalitet",
        "Kvalitet",
        "Kvalitet bygger på deltagarnas engagemang, och uppföljningen passar både små och stora organisationer.",
    ),
    (
        "langsiktighet",
        "Långsiktighet",
        "Stöd och samarbeten ges helst för flera år i taget så att organisationerna kan planera.",
    ),
    (
        "oppenhet-och-insyn",
        "Öppenhet och insyn",
        "Beslut, bidrag och resultat av samverkan redovisas öppet av båda parter.",
    ),
    (
        "mangfald",
        "Mångfald",
        "Samverkan är öppen för hela sektorns bredd, från byalag och idrottsklubbar till trossamfund och nya nätverk.",
    ),
];

/// Challenges an agreement may prioritise: (slug, name, summary).
pub const CHALLENGES: &[(&str, &str, &str)] = &[
    (
        "ofrivillig-ensamhet",
        "Ofrivillig ensamhet",
        "Att färre, särskilt äldre, ska leva i ofrivillig ensamhet.",
    ),
    (
        "fritid-for-alla-barn",
        "Fritid för alla barn",
        "Att alla barn och unga ska ha en meningsfull fritid oavsett familjens ekonomi.",
    ),
    (
        "vagar-till-arbete",
        "Vägar till arbete och sysselsättning",
        "Att fler som står långt från arbetsmarknaden ska hitta en väg till arbete eller studier.",
    ),
    (
        "trygghet-i-bostadsomradena",
        "Trygghet i bostadsområdena",
        "Att alla ska känna sig trygga där de bor, på kvällen som på dagen.",
    ),
    (
        "psykisk-halsa-bland-unga",
        "Psykisk hälsa bland unga",
        "Att fler unga ska må bra och få stöd i tid.",
    ),
    (
        "sprak-och-etablering",
        "Språk och etablering för nyanlända",
        "Att nyanlända snabbare ska komma in i språket, arbetslivet och föreningslivet.",
    ),
    (
        "levande-landsbygd",
        "En levande landsbygd",
        "Att byarna ska ha mötesplatser, service och ett rikt föreningsliv.",
    ),
    (
        "demokrati-och-delaktighet",
        "Demokrati och delaktighet",
        "Att fler ska vara med och påverka, i föreningar som i kommunens beslut.",
    ),
    (
        "klimat-och-hallbar-vardag",
        "Klimat och hållbar vardag",
        "Att det ska vara lätt att leva hållbart, med delning, reparation och natur nära.",
    ),
    (
        "aldres-halsa-och-gemenskap",
        "Äldres hälsa och gemenskap",
        "Att äldre ska ha gemenskap, rörelse och meningsfulla sammanhang.",
    ),
    (
        "kultur-for-alla",
        "Kultur för alla",
        "Att alla ska kunna ta del av och själva skapa kultur.",
    ),
    (
        "stod-till-barnfamiljer",
        "Stöd till barnfamiljer",
        "Att barnfamiljer i ekonomisk utsatthet ska få stöd och sammanhang.",
    ),
];

/// Commitments an agreement may make.
pub const COMMITMENTS: &[&str] = &[
    "Vi bjuder in varandra tidigt när vi planerar något som berör den andra parten",
    "Vi håller det vi lovar och säger till i god tid när något förändras",
    "Vi gör det enkelt för små föreningar att vara med",
    "Vi lär av det som fungerar och av det som inte gör det",
    "Vi redovisar öppet vad samverkan kostar och vad den ger",
    "Vi respekterar varandras roller och självständighet",
];

/// Nouns that name organisations ("Föreningen Fyren").
pub const ORG_WORDS: &[&str] = &[
    "Fyren",
    "Eken",
    "Framtiden",
    "Gemenskapen",
    "Bryggan",
    "Ankaret",
    "Vägen",
    "Källan",
    "Hoppet",
    "Stjärnan",
    "Vågen",
    "Lyktan",
    "Bron",
    "Gläntan",
    "Ljuset",
    "Nyckeln",
    "Kompassen",
    "Fjärilen",
    "Solrosen",
    "Linden",
    "Tranan",
    "Svalan",
    "Fristaden",
    "Navet",
    "Grinden",
    "Hamnen",
    "Kvarnen",
    "Lotsen",
    "Rötterna",
    "Vingarna",
    "Tornet",
    "Sländan",
    "Bikupan",
    "Vänskapen",
    "Trädgården",
    "Verkstaden",
    "Varvet",
    "Gnistan",
    "Morgonsol",
    "Regnbågen",
];

/// Organisation names by legal form: `{ort}` is a place's genitive (or,
/// after `i`, its name), `{ord}` one of [`ORG_WORDS`].
pub const ORG_NAMES: &[(&str, &[&str])] = &[
    (
        "ideell_forening",
        &[
            "{ort} Schacksällskap",
            "{ort} Idrottsförening",
            "IK {ord}",
            "Föreningen {ord}",
            "{ort} Hembygdsförening",
            "{ort} Pensionärsförening",
            "Kvinnojouren {ord}",
            "{ort} Scoutkår",
            "{ort} Fotbollsklubb",
            "Läxhjälpen {ord}",
            "Kulturföreningen {ord}",
            "{ort} Brukshundklubb",
            "{ort} Konstförening",
            "Ungdomsföreningen {ord}",
            "{ort} Musikförening",
            "Byalaget {ord}",
            "Teaterföreningen {ord}",
            "Mötesplats {ord}",
            "{ort} Simsällskap",
            "Hyresgästföreningen {ord}",
            "{ort} Friluftsförening",
            "Föreningen {ord} i {plats}",
        ],
    ),
    (
        "stiftelse",
        &[
            "Stiftelsen {ord}",
            "Stiftelsen {ord} i {plats}",
            "{ort} Folkets Hus-stiftelse",
        ],
    ),
    (
        "registrerat_trossamfund",
        &[
            "Equmeniakyrkan {plats}",
            "Pingstkyrkan {plats}",
            "Islamiska församlingen i {plats}",
            "Katolska församlingen i {plats}",
        ],
    ),
    (
        "ekonomisk_forening",
        &[
            "Kooperativet {ord}",
            "Arbetskooperativet {ord}",
            "{ort} Sociala Företag",
        ],
    ),
    (
        "natverk",
        &[
            "Nätverket {ord}",
            "{ort} Föräldranätverk",
            "Grannsamverkan {ord}",
        ],
    ),
];

/// How often each legal form occurs, in per mille (the demonstration
/// register's mix).
pub const LEGAL_FORM_SHARES: &[(&str, u64)] = &[
    ("ideell_forening", 620),
    ("stiftelse", 80),
    ("registrerat_trossamfund", 70),
    ("ekonomisk_forening", 100),
    ("natverk", 130),
];

/// What organisations do, for their descriptions.
pub const ORG_DOINGS: &[&str] = &[
    "ordnar träffar varje vecka för alla åldrar",
    "driver läxhjälp och lovaktiviteter för barn och unga",
    "håller öppet hus och studiecirklar",
    "tränar barn, unga och vuxna och håller avgifterna låga",
    "ordnar besöksvänner och telefonkedjor för äldre",
    "erbjuder språkcafé och stöd till nyanlända",
    "sköter en mötesplats med café och verkstad",
    "ordnar konserter, utställningar och kurser",
    "ger stöd till kvinnor och barn som utsatts för våld",
    "anordnar friluftsdagar, vandringar och lägerverksamhet",
];

/// First names of the people in updates and roles.
pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Johanna",
    "Sofia", "Ida", "Malin", "Linnea", "Amira", "Fatima", "Leila", "Hanna", "Maja", "Ebba", "Erik",
    "Lars", "Anders", "Johan", "Per", "Mikael", "Karl", "Peter", "Jonas", "Oskar", "Ahmed", "Omar",
    "Ali", "Nils", "Emil", "Gustav", "Viktor", "Filip", "Hugo", "Mats",
];

/// Surnames of the people in updates and roles.
pub const SURNAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Holm",
    "Lundgren",
    "Hassan",
    "Mohammed",
    "Ali",
    "Nyström",
    "Ekström",
    "Björk",
    "Lund",
    "Dahl",
    "Falk",
    "Strand",
    "Blom",
    "Åberg",
    "Hedlund",
];

/// Kinds of activity, for titles.
pub const ACTIVITY_KINDS: &[&str] = &[
    "Läxhjälp",
    "Språkcafé",
    "Spontanidrott",
    "Mötesplats",
    "Mentorskap",
    "Sommarlovsaktiviteter",
    "Föräldrastöd",
    "Simskola",
    "Stödgrupper",
    "Digital vardag",
    "Jobbcoachning",
    "Praktikplatser",
    "Trygghetsvandringar",
    "Körsång",
    "Friluftsdagar",
    "Odlingslotter",
    "Matlagningskurser",
    "Teaterverkstad",
    "Seniordans",
    "Besöksvänner",
    "Cykelkök",
    "Lovskola",
    "Nattvandringar",
    "Samtalsgrupper",
    "Dataträffar",
    "Konstverkstad",
    "Bokcirklar",
    "Ungdomsråd",
    "Kulturkvällar",
    "Reparationskafé",
];

/// Who activities are for, for titles.
pub const AUDIENCES: &[&str] = &[
    "unga",
    "äldre",
    "nyanlända",
    "barnfamiljer",
    "tjejer",
    "unga vuxna",
    "seniorer",
    "personer med funktionsnedsättning",
    "arbetssökande",
    "föräldrar",
    "barn",
    "boende",
    "pensionärer",
    "studenter",
    "alla åldrar",
];

/// Milestone titles (an activity takes a few, each once).
pub const MILESTONES: &[&str] = &[
    "Uppstart",
    "Första träffen",
    "Ledarutbildning klar",
    "Halvtidsavstämning",
    "Öppet hus",
    "Utvärdering klar",
    "Slutrapport",
];

/// Channels an activity is told through.
pub const CHANNELS: &[&str] = &[
    "Föreningens webbplats och sociala medier, affischer i området.",
    "Skolornas veckobrev, biblioteken och fritidsgårdarna.",
    "Kommunens webbplats, lokaltidningen och föreningarnas nyhetsbrev.",
    "Uppsökande samtal, flygblad på flera språk och informationsmöten.",
];

/// When an activity is told about.
pub const TIMINGS: &[&str] = &[
    "Inför varje termin och före sommarlovet.",
    "En månad före start och löpande under året.",
    "Vid uppstart, halvtid och avslut.",
];

/// Premises an activity uses.
pub const PREMISES: &[&str] = &[
    "Föreningens egen lokal.",
    "Biblioteket och skolans matsal efter skoltid.",
    "Idrottshallen och konstgräsplanen.",
    "Kommunens mötesrum i kommunhuset.",
    "Församlingshemmet.",
    "",
];

/// Sentences of progress updates: `{n}` a number, `{grupp}` an audience.
pub const UPDATE_SENTENCES: &[&str] = &[
    "Vi har haft {n} träffar sedan förra uppdateringen.",
    "Omkring {n} deltagare kom, de flesta {grupp}.",
    "Två nya ledare har börjat, och vi söker fler.",
    "Lokalen var stängd en period, så vi flyttade till biblioteket.",
    "Samarbetet med förvaltningen fungerar bra och vi ses varje månad.",
    "Intresset är större än vi räknade med; vi har startat en väntelista.",
    "Vi har utvärderat arbetet tillsammans med deltagarna.",
    "Vi har tagit fram material på flera språk.",
];

/// The lowest and highest yearly amount of a form, in thousands of kronor.
pub type Amounts = Option<(i64, i64)>;

/// Collaboration forms with their shares (per mille) and yearly amounts
/// (lowest, highest, in thousands of kronor; none for forms without money).
pub const RECORD_FORMS: &[(&str, u64, Amounts)] = &[
    ("operating-grant", 250, Some((20, 500))),
    ("project-grant", 200, Some((10, 300))),
    ("dialogue", 150, None),
    ("iop", 80, Some((200, 3000))),
    ("premises", 100, Some((10, 200))),
    ("joint-project", 100, Some((20, 400))),
    ("network", 70, None),
    ("procurement", 50, Some((100, 2000))),
];

/// How a record of each form is titled: `{org}`, `{vad}` and `{år}`.
pub const RECORD_TITLES: &[(&str, &str)] = &[
    ("operating-grant", "Verksamhetsbidrag till {org} {år}"),
    ("project-grant", "Projektbidrag för {vad} {år}"),
    ("dialogue", "Dialog om {vad} {år}"),
    ("iop", "Idéburet offentligt partnerskap om {vad}"),
    ("premises", "Lokalstöd till {org} {år}"),
    ("joint-project", "Gemensamt projekt: {vad} {år}"),
    ("network", "Nätverk för {vad}"),
    ("procurement", "Upphandlad tjänst: {vad} {år}"),
];
