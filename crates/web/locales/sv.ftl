# Svenska – standardspråk. Samma nycklar som en.ftl (ett test jämför).

site-name = Samverkan
skip-to-content = Hoppa till innehållet
switch-language = In English
nav-agreement-label = Överenskommelsen
nav-footer-label = Om webbplatsen
nav-text = Texten
nav-principles = Principer
nav-challenges = Utmaningar
nav-plans = Planer
nav-decisions = Beslut
nav-contact = Kontakt
footer-all-agreements = Alla överenskommelser
footer-city-bodies = Nämnder och förvaltningar
footer-open-data = Öppna data
footer-accessibility = Tillgänglighetsredogörelse
footer-about = Samverkan är plattformen där kommunen och den idéburna sektorn driver sin överenskommelse om samverkan – öppet för alla, utan inloggning.
none = Inget angivet

month-1 = januari
month-2 = februari
month-3 = mars
month-4 = april
month-5 = maj
month-6 = juni
month-7 = juli
month-8 = augusti
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
period-open = från { $start }

agreement-status-draft = Utkast
agreement-status-consultation = På remiss
agreement-status-adopted = Antagen
agreement-status-wound_down = Avvecklad
agreement-status-superseded = Ersatt
agreement-status-explain-draft = Överenskommelsen är ett utkast som ännu inte har skickats ut för synpunkter.
agreement-status-explain-consultation = Utkastet är ute på remiss: organisationer och förvaltningar kan lämna synpunkter.
agreement-status-explain-adopted = Överenskommelsen är antagen och gäller. Parterna arbetar enligt den och dess handlingsplan.
agreement-status-explain-wound_down = Överenskommelsen är avvecklad i sin dåvarande form. Texten, besluten och historiken finns kvar här som allmän handling.
agreement-status-explain-superseded = Överenskommelsen har ersatts av en ny. Texten och historiken finns kvar här.
status-since = sedan { $date }
successor-link = Gå till den överenskommelse som ersätter denna

version-status-draft = Utkast
version-status-consultation = På remiss
version-status-adopted = Antagen
version-status-superseded = Ersatt

body-kind-municipal_council = Kommunfullmäktige
body-kind-executive_board = Kommunstyrelse
body-kind-committee = Nämnd
body-kind-administration = Förvaltning

role-kind-project_lead = Projektledning
role-kind-coordinator = Samordning
role-kind-process_support = Processtöd
role-kind-working_group = Arbetsgrupp
role-kind-challenge_host = Värd för en utmaning
side-city = Kommunens sida
side-sector = Idéburen sektor
side-joint = Gemensamt

vision-heading = Vision
read-agreement = Läs hela överenskommelsen
recent-decisions = Senaste besluten
all-decisions = Alla { $count } beslut på tidslinjen
more-heading = Mer om överenskommelsen
other-agreements = { $count ->
    [one] Plattformen har en överenskommelse till.
   *[other] Plattformen har { $count } överenskommelser till.
}
empty-start-text = Här finns ännu ingen överenskommelse. När en kommun lägger in sin överenskommelse visas den här.
empty-start-steps = Så kommer ni i gång
empty-start-step-admin = Skapa den första administratören på servern:
empty-start-step-link = Öppna länken som kommandot skriver ut, välj ett lösenord och logga in.
empty-start-step-roles = Ge samordnare och tjänstepersoner deras roller under Personer och roller.
empty-start-help = Installationen och alla inställningar beskrivs i projektets README.

agreements-title = Alla överenskommelser
agreements-lead = Överenskommelser mellan kommuner och den idéburna sektorn som finns på plattformen, med var de står i sin livscykel.
agreements-none = Det finns inga överenskommelser ännu.

text-title = Överenskommelsens text
toc-heading = Innehåll
version-number = version { $number }
not-current-version = Det här är inte den gällande versionen.
go-current-version = Visa den gällande versionen.
no-text-yet = Det finns ingen text publicerad ännu.
link-to-section = Länk till avsnittet { $heading }

versions-title = Versioner och ändringar
versions-lead = Alla versioner av texten, från utkast till antagen överenskommelse. Välj två versioner för att se vad som ändrats.
version-col-number = Nr
version-col-label = Version
version-col-status = Status
version-col-date = Publicerad
version-col-decision = Beslut
current-badge = Gällande
compare-title = Jämför versioner
compare-from = Från version
compare-to = Till version
compare-button = Visa skillnader
compare-between-from = Från: { $label }.
compare-between-to = Till: { $label }.
compare-changed = { $count ->
    [one] ett stycke ändrat
   *[other] { $count } stycken ändrade
}
compare-added = { $count ->
    [one] ett stycke tillagt
   *[other] { $count } stycken tillagda
}
compare-removed = { $count ->
    [one] ett stycke borttaget
   *[other] { $count } stycken borttagna
}
compare-legend = Så läser du jämförelsen:
compare-legend-ins = tillagd text
compare-legend-del = borttagen text
change-added = Nytt
change-removed = Borttaget
change-changed = Ändrat
heading-was = Rubriken var tidigare: { $heading }
back-to-versions = Tillbaka till versionerna

decisions-title = Beslut
decisions-lead = Besluten som format överenskommelsen, det senaste först.
decisions-none = Inga beslut är registrerade.
decided-by = Beslutat av
reference = Diarienummer
reference-missing = Saknas i registret
minutes = Protokoll
minutes-link = Läs protokollet

principles-title = Principer
principles-lead = Principerna som ska prägla samverkan. Aktiviteter, samverkan och rapporter följs upp mot dem.
commitments-title = Så här jobbar vi
commitments-lead = Förhållningssätten som båda sidor har kommit överens om att arbeta efter.

challenges-title = Prioriterade samhällsutmaningar
challenges-lead = Samhällsutmaningarna som parterna valt att samverka kring.
challenges-none = Inga utmaningar är prioriterade ännu.
in-plans = { $count ->
    [one] Ingår i en handlingsplan
   *[other] Ingår i { $count } handlingsplaner
}
challenge-plans = Handlingsplaner som prioriterar utmaningen
challenge-no-plans = Ingen handlingsplan prioriterar utmaningen ännu.
challenge-activities-later = Aktiviteterna i handlingsplanen och hur långt de kommit visas här när de förts in på plattformen.

plans-title = Handlingsplaner
plans-lead = Handlingsplanerna (samarbetsplanerna) för varje period och besluten bakom dem.
plans-none = Ingen handlingsplan är beslutad ännu.
plan-period = Period
plan-extended = Förlängd till
plan-decision = Beslut
plan-challenges = Prioriterade utmaningar

contact-title = Organisation och kontakt
contact-lead = Vem som har vilket uppdrag i arbetet med överenskommelsen nu, och vem som hade det tidigare. Skriv till funktionsbrevlådorna; de läses även när personer byts ut.
roles-none = Inga uppdrag är registrerade.
role-now = Innehas nu av
role-vacant = Ingen innehar uppdraget just nu.
role-mailbox = E-post
role-before = Tidigare

bodies-title = Nämnder och förvaltningar
bodies-lead = Kommunernas organ: fullmäktige, kommunstyrelse, nämnder och de förvaltningar som arbetar åt dem. Varje nämnd rapporterar årligen om sin samverkan med den idéburna sektorn.
bodies-caption = Organ i { $municipality }
bodies-name = Namn
bodies-kind = Typ
bodies-parent = Arbetar åt
bodies-description = Beskrivning

open-data-title = Öppna data
open-data-lead = Allt som visas på webbplatsen finns också som öppna data: JSON för program och CSV för kalkylark. Inget konto behövs.
open-data-spec-heading = Beskrivning av gränssnittet
open-data-spec = Hela gränssnittet beskrivs i ett OpenAPI 3-dokument:
open-data-examples-heading = Exempel
open-data-json = JSON
open-data-licence = Uppgifterna får användas fritt (CC0). Personuppgifter publiceras inte utöver namn på personer i offentliga uppdrag.

a11y-title = Tillgänglighetsredogörelse
a11y-intro = Den här webbplatsen drivs av den kommun som är part i överenskommelsen. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur webbplatsen uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem.
a11y-status-heading = Hur tillgänglig är webbplatsen?
a11y-status = Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan. Målet är att uppfylla WCAG 2.1 nivå AA (EN 301 549) fullt ut.
a11y-shortcomings-heading = Innehåll som inte är tillgängligt
a11y-shortcomings-intro = Vi känner till följande brister:
a11y-shortcoming-1 = Länkar till protokoll och dokument hos andra aktörer kan leda till PDF-filer som inte är tillgänglighetsanpassade. De omfattas inte av vår granskning.
a11y-shortcoming-2 = Texterna i överenskommelsen återges som de beslutades och kan innehålla långa meningar och facktermer. Vi arbetar med lättlästa sammanfattningar.
a11y-alternatives-heading = Om du behöver innehållet på annat sätt
a11y-alternatives = Allt innehåll finns även som öppna data (JSON och CSV). Kontakta oss om du behöver innehållet i ett annat format, till exempel uppläst eller på lätt svenska, så hjälper vi dig.
a11y-feedback-heading = Rapportera brister i tillgängligheten
a11y-feedback = Vi strävar hela tiden efter att förbättra tillgängligheten. Om du upptäcker problem som inte beskrivs här, eller om du anser att vi inte uppfyller lagens krav, meddela oss så att vi får veta att problemet finns.
a11y-feedback-link = Skriv till { $mailbox }
a11y-response-time = Vi svarar normalt inom fem arbetsdagar.
a11y-enforcement-heading = Tillsyn
a11y-enforcement = Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen över lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg och påtala det.
a11y-enforcement-link = Anmäl till Digg
a11y-method-heading = Hur vi testat webbplatsen
a11y-method = Vi har gjort en självskattning (intern testning) av webbplatsen. Varje sidtyp kontrolleras automatiskt med axe mot WCAG 2.1 A och AA på svenska och engelska, i en riktig webbläsare, vid varje ändring av koden. Sidorna fungerar utan JavaScript, med enbart tangentbord och på små skärmar.
a11y-dates = Webbplatsen publicerades i november 2026. Redogörelsen uppdaterades senast den 22 november 2026.

error-404-title = Sidan finns inte
error-404-text = Vi hittar inte sidan du söker. Den kan ha flyttats, eller så är adressen felstavad.
error-400-title = Frågan gick inte att förstå
error-400-text = Adressen innehåller ett värde som vi inte kan tolka.
error-413-title = För mycket data
error-429-title = För många försök
error-413-text = Det du skickade är större än vad webbplatsen tar emot.
error-500-title = Något gick fel hos oss
error-500-text = Ett fel uppstod när sidan skulle visas. Felet är loggat. Försök igen om en stund.
error-other-title = Sidan kan inte visas
error-other-text = Sidan kan inte visas just nu.
error-detail = Vad som är fel:
error-next-heading = Gå vidare
error-go-start = Till startsidan
error-report = Rapportera ett problem
param-whole-number = Parametern ”{ $name }” ska vara ett heltal från 1 och uppåt, till exempel { $name }=2.
param-required = Parametern ”{ $name }” saknas, till exempel { $name }=1.
param-one-of = Parametern ”{ $name }” ska vara
param-given = { " " }Du angav ”{ $value }”.
error-code = Felkod:

login-link = Logga in
logout-button = Logga ut
register-title = Skapa konto
register-lead = Med ett konto kan du företräda din organisation, anmäla dig till möten och lämna synpunkter. Allt som är offentligt kan du läsa utan konto.
register-button = Skapa konto
have-account = Har du redan ett konto?
no-account = Har du inget konto?
form-has-problems = Något behöver rättas
field-display-name = Namn
field-email = E-postadress
field-password = Lösenord
password-hint = Minst 12 tecken. Några ord i rad är lätta att komma ihåg och svåra att gissa.
field-email-invalid = Skriv e-postadressen som namn@exempel.se.
field-name-length = Skriv ditt namn, högst 100 tecken.
field-password-too-short = Lösenordet är för kort: använd minst 12 tecken.
field-password-too-long = Lösenordet är för långt: använd högst 128 tecken.
field-password-common = Lösenordet finns på en lista över vanliga eller läckta lösenord. Välj ett annat.
field-password-repetitive = Lösenordet upprepar för få tecken. Välj ett som varierar mer.
field-password-personal = Lösenordet liknar för mycket din e-postadress eller ditt namn.
check-email-title = Kontrollera din e-post
check-email-text = Vi har skickat ett meddelande till { $email }. Öppna länken i det för att bekräfta adressen.
check-email-help = Hittar du inget meddelande? Titta i skräpposten. Länken gäller i 48 timmar.
confirm-title = Bekräfta e-postadress
confirm-lead = Bekräfta att e-postadressen är din genom att trycka på knappen.
confirm-button = Bekräfta
confirm-done = Tack! Din e-postadress är bekräftad och du kan logga in.
confirm-invalid = Länken fungerar inte. Den kan redan ha använts eller vara för gammal. Skapa kontot igen för att få en ny länk.
login-title = Logga in
login-button = Logga in
signin-wrong = E-postadressen eller lösenordet stämmer inte.
signin-not-confirmed = Bekräfta din e-postadress först: öppna länken i meddelandet vi skickade.
signin-throttled = För många misslyckade försök. Vänta en stund och försök igen.
account-title = Mitt konto
csrf-refused = Formuläret kunde inte tas emot eftersom det saknade en giltig säkerhetskod. Ladda om sidan och försök igen. Var du inloggad kan din session ha gått ut: logga in igen.
throttled = För många försök från ditt nätverk eller till den här e-postadressen. Försök igen om { $minutes ->
    [one] en minut
   *[other] { $minutes } minuter
  }.
error-403-title = Åtgärden är inte tillåten
error-403-text = Du har inte behörighet att göra det här, eller så kom begäran inte från ett formulär på webbplatsen.
forgot-link = Glömt lösenordet?
forgot-title = Nytt lösenord
forgot-lead = Skriv e-postadressen till ditt konto så skickar vi en länk där du väljer ett nytt lösenord.
forgot-button = Skicka länk
forgot-sent = Om det finns ett konto för { $email } har vi skickat en länk dit. Den gäller i en timme.
reset-title = Välj nytt lösenord
reset-button = Spara nytt lösenord
reset-invalid = Länken fungerar inte. Den kan redan ha använts eller vara äldre än en timme. Be om en ny länk.
reset-done = Ditt lösenord är ändrat och alla tidigare inloggningar är avslutade. Logga in med det nya lösenordet.
field-new-password = Nytt lösenord
field-current-password = Nuvarande lösenord
field-current-password-wrong = Det nuvarande lösenordet stämmer inte.
change-password-heading = Byt lösenord
change-password-button = Byt lösenord
notice-password = Lösenordet är bytt. Dina andra inloggningar är avslutade och vi har skickat en bekräftelse med e-post.
sessions-heading = Inloggningar
sessions-lead = Här ser du var du är inloggad. Avsluta en inloggning du inte känner igen och byt sedan lösenord.
session-this = Den här webbläsaren
session-other = En annan inloggning
session-signed-in = Inloggad { $date }
session-revoke = Avsluta inloggningen
notice-revoked = Inloggningen är avslutad.
organisations-title = Organisationer
organisations-lead = Idéburna organisationer i registret: föreningar, stiftelser, trossamfund, kooperativ och nätverk. Filtrera för att hitta samarbetspartner.
filter-heading = Filtrera
filter-challenge = Samhällsutmaning
filter-district = Stadsområde
filter-legal-form = Organisationsform
filter-joined = Ansluten till överenskommelsen
filter-joined-yes = Ja
filter-joined-no = Nej
filter-any = Alla
filter-sort = Sortera
sort-name = Namn
sort-newest = Senast registrerade
filter-button = Visa
organisations-count = { $count ->
    [one] En organisation
   *[other] { $count } organisationer
}
joined-badge = Ansluten
pagination-label = Sidor
page-previous = Föregående sida
page-next = Nästa sida
page-of = Sida { $page }
legal-form-ideell_forening = Ideell förening
legal-form-stiftelse = Stiftelse
legal-form-registrerat_trossamfund = Registrerat trossamfund
legal-form-ekonomisk_forening = Ekonomisk förening
legal-form-natverk = Nätverk utan organisationsnummer
org-legal-form = Organisationsform
org-number = Organisationsnummer
org-number-none = Saknar organisationsnummer
org-districts = Verksam i
org-website = Webbplats
org-contact = Kontakt
org-agreements = Part i
org-not-joined = Inte ansluten till någon överenskommelse
joined-on = ansluten { $date }
org-challenges = Arbetar med
org-new-title = Registrera en organisation
org-new-lead = Registrera din förening, stiftelse, ditt trossamfund, kooperativ eller nätverk. Du blir organisationens administratör och kan sedan bjuda in fler.
org-new-button = Registrera organisationen
org-new-link = Registrera en organisation
org-field-name = Organisationens namn
org-field-description = Beskrivning: vad ni gör, för vem och var
org-field-contact = E-post för kontakt
org-contact-hint = En funktionsadress som visas öppet, till exempel info@förening.se. Inte en privat adress.
org-number-hint = Tio siffror, till exempel 802012-3454. Lämna tomt om organisationen saknar nummer.
choose = Välj
field-org-name-length = Skriv organisationens namn, 2–200 tecken.
field-org-legal-form-missing = Välj organisationsform.
field-org-number-network = Ett nätverk utan organisationsnummer har inget nummer. Välj en annan organisationsform eller lämna numret tomt.
field-org-number-invalid = Organisationsnumret stämmer inte: skriv tio siffror, till exempel 802012-3454, och kontrollera sista siffran mot registreringsbeviset.
field-org-number-taken = Organisationsnumret är redan registrerat av { $detail }. Be organisationens administratör bjuda in dig i stället.
field-org-number-taken-now = Organisationsnumret registrerades nyss av någon annan.
field-org-description-length = Beskriv organisationen med högst 2 000 tecken.
field-org-website-invalid = Skriv hela adressen, med https:// först.
field-org-unknown-choice = Välj bland alternativen i listan.
nav-parties = Parter
parties-title = Parter
parties-lead = De som anslutit sig till överenskommelsen och förbundit sig att arbeta efter principerna – organisationer, stadens organ och aktiva medborgare – med datum för anslutningen.
parties-count = { $count ->
    [one] En ansluten part
   *[other] { $count } anslutna parter
}
parties-col-name = Part
parties-col-joined = Ansluten
parties-csv = Ladda ner listan som CSV
my-data-heading = Dina uppgifter
my-data-lead = Du kan ladda ner allt vi har sparat om dig, och radera ditt konto.
export-button = Ladda ner mina uppgifter (JSON)
delete-heading = Radera kontot
delete-lead = Dina personuppgifter tas bort och alla inloggningar avslutas. Offentliga handlingar du bidragit till finns kvar, med dig visad som borttagen person.
delete-password = Ditt lösenord, för att bekräfta
delete-button = Radera mitt konto
deleted-title = Kontot är raderat
deleted-text = Dina personuppgifter är borttagna och alla dina inloggningar är avslutade.
privacy-title = Personuppgifter
privacy-lead = Så här behandlar Samverkan personuppgifter. Allt offentligt på webbplatsen kan läsas utan konto; för ett konto sparar vi bara det som behövs.
privacy-col-what = Uppgift
privacy-col-why = Varför
privacy-col-how-long = Hur länge
privacy-account = E-postadress, namn och lösenord (som argon2id-hash)
privacy-account-why = För att du ska kunna logga in, få bekräftelser och företräda din organisation.
privacy-account-long = Tills du raderar kontot.
privacy-sessions = Inloggningar: tidpunkter och webbläsarens namn
privacy-sessions-why = För att hålla dig inloggad och låta dig se och avsluta dina inloggningar.
privacy-sessions-long = Högst 12 timmar efter inloggning, kortare om du är inaktiv i 30 minuter eller loggar ut.
privacy-failures = Misslyckade inloggningsförsök: adress, nätverksadress och tidpunkt
privacy-failures-why = För att skydda konton mot lösenordsgissning.
privacy-failures-long = Ett dygn; gränserna räknar bara den senaste timmen.
privacy-throttle = Antal försök med formulär som skickar e-post (registrering, nytt lösenord, inbjudningar, ansökningar), per nätverksadress, konto och mottagaradress, sparade bara som hashvärden
privacy-throttle-why = För att ingen ska kunna använda webbplatsen för att fylla någons inkorg.
privacy-memberships = Medlemskap i organisationer och din roll där
privacy-memberships-why = För att du ska kunna företräda din organisation.
privacy-cookies = Kakor: språkval, säkerhetskod för formulär och inloggning, och efter en ändring du gjort, vilken version av sidorna du ska se
privacy-cookies-why = Nödvändiga för att webbplatsen ska fungera. Inga spårningskakor används.
privacy-cookies-long = Språkvalet ett år; versionen att visa en minut efter din ändring; de andra tills webbläsaren stängs.
privacy-rights-heading = Dina rättigheter
privacy-rights = Du kan när som helst ladda ner dina uppgifter och radera ditt konto från sidan Mitt konto. Kontakta oss om du vill rätta något du inte själv kan ändra eller har frågor om behandlingen.
my-organisations = Mina organisationer
my-organisations-none = Du företräder ingen organisation ännu.
member-role-admin = administratör
member-role-member = medlem
# --- Roller, medlemmar, anslutning, stadens organ, administration ---
save-button = Spara
search-button = Sök
person-removed = Borttagen person
parties-col-kind = Slag
party-kind-organisation = organisation
party-kind-city_body = stadens organ
party-kind-person = aktiv medborgare
accession-status-applied = ansökan väntar på beslut
accession-status-approved = godkänd
accession-status-declined = avslagen
accession-status-withdrawn = tillbakadragen
join-link = Ansök om att ansluta
join-title = Anslut till överenskommelsen
join-lead = Parterna förbinder sig att arbeta efter överenskommelsens principer. En samordnare går igenom ansökan och du får besked med e-post.
join-closed = Överenskommelsen tar bara emot ansökningar när den är antagen och gäller.
join-party = Vem ansöker?
join-party-hint = Du kan ansöka som aktiv medborgare, för en organisation där du är administratör eller för ett av stadens organ där du är tjänsteperson.
join-principles = Principerna ni förbinder er till
join-accept = Vi har läst principerna och förbinder oss att arbeta efter dem.
join-button = Skicka ansökan
applications-title = Ansökningar om anslutning
applications-lead = Godkänn eller avslå ansökningarna. Ett avslag behöver en motivering, som den sökande får läsa.
applications-none = Inga ansökningar ännu.
applied-on = Ansökte { $date }
decision-reason = Motivering
decision-reason-label = Motivering
decision-reason-hint = Krävs vid avslag; skickas till den sökande.
approve-button = Godkänn
decline-button = Avslå
withdraw-button = Dra tillbaka
withdraw-of = Dra tillbaka anslutningen till { $name }
my-applications = Anslutningar och ansökningar
my-applications-none = Du har inte ansökt om att ansluta till någon överenskommelse.
my-roles = Mina roller
role-platform-admin = Plattformsadministratör
role-coordinator-of = Samordnare för { $name }
role-official-of = Tjänsteperson i { $name }
members-title = Medlemmar i { $name }
members-back = Till organisationens sida
members-caption = Medlemmar och roller
members-role = Roll
members-actions = Ändra
members-you = du
members-role-of = Roll för { $name }
members-change-role = Byt roll
members-remove = Ta bort
members-remove-of = Ta bort { $name }
members-link = Medlemmar
invite-heading = Bjud in en medlem
invite-lead = Inbjudan skickas med e-post. Länken gäller i sju dagar och kan användas en gång.
invite-button = Skicka inbjudan
invitations-open = Öppna inbjudningar
invitation-expires = gäller till { $date }
invitation-revoke = Dra tillbaka
invitation-revoke-of = Dra tillbaka inbjudan till { $email }
invitation-title = Inbjudan till en organisation
invitation-lead = Du är inbjuden att gå med i { $name }.
invitation-accept = Tacka ja
invitation-unusable = Inbjudan har redan använts, dragits tillbaka eller gått ut. Be organisationens administratör om en ny.
invitation-other-address = Inbjudan skickades till { $address }, inte till adressen du är inloggad med.
invitation-other-address-help = Logga ut och logga in med den adressen för att tacka ja (skapa ett konto med den om du inte har ett). Använder du hellre det här kontot, be organisationens administratör att bjuda in den adress du är inloggad med. Inbjudan gäller fortfarande.
org-edit-title = Ändra { $name }
org-edit-link = Ändra profilen
org-edit-stale = Någon annan sparade profilen medan du skrev. Det du skrev finns kvar nedan; jämför med organisationens sida och spara igen om det ska gälla.
bodies-back = Till stadens organ
bodies-keep-link = Lägg till eller ändra stadens organ
municipality-new-title = Lägg till en kommun eller region
municipality-new-lead = Kommunen eller regionen är den offentliga parten i en överenskommelse. Lägg sedan till dess nämnder och förvaltningar.
municipality-name = Namn
municipality-name-hint = Som den kallar sig, till exempel Malmö stad eller Region Skåne.
municipality-kind = Slag
municipality-kind-municipality = Kommun
municipality-kind-region = Region
municipalities-heading = Kommuner och regioner
municipalities-none = Här finns ännu ingen kommun eller region.
bodies-none = Inga nämnder eller förvaltningar ännu.
notice-municipality-saved = Kommunen eller regionen är tillagd. Lägg nu till dess första nämnd eller förvaltning.
field-municipality-name-length = Skriv namnet, 2–100 tecken, till exempel Malmö stad eller Region Skåne.
field-municipality-kind-missing = Välj om det är en kommun eller en region.
empty-start-step-municipality = Lägg till kommunen eller regionen och dess nämnder.
body-new-title = Lägg till ett organ
body-edit-title = Ändra { $name }
body-municipality = Kommun
body-parent-hint = För en förvaltning: nämnden den arbetar åt.
officials-heading = Tjänstepersoner
officials-lead = Tjänstepersonerna sköter organets samverkansregister och årsrapport och kan ansöka om anslutning för organet.
officials-none = Inga tjänstepersoner ännu.
officials-email = E-postadress till personens konto
officials-add = Lägg till tjänsteperson
officials-remove-of = Ta bort { $name } som tjänsteperson
admin-title = Personer och roller
admin-lead = Sök personer och ge eller ta bort roller. Varje ändring sparas i loggen.
admin-search = Namn eller e-postadress
admin-found = { $count ->
    [one] En person
   *[other] { $count } personer
}
admin-registered = registrerad { $date }
admin-unconfirmed = e-post ej bekräftad
admin-role-for = Roll för { $name }
admin-grant = Ge rollen
admin-revoke = Ta bort rollen
audit-title = Logg över ändringar
audit-lead = Vem som gav eller tog bort roller, beslutade om anslutningar och raderade konton, nyast först.
audit-when = När
audit-who = Vem
audit-what = Vad
audit-subject = Gäller
audit-detail = Detaljer
audit-system = Systemet
audit-accession-applied = ansökte om anslutning
audit-accession-approved = godkände anslutning
audit-accession-declined = avslog anslutning
audit-accession-withdrawn = drog tillbaka anslutning
audit-account-deleted = konto raderat
audit-city-body-created = lade till organ
audit-city-body-updated = ändrade organ
audit-member-invitation-revoked = drog tillbaka inbjudan
audit-member-invited = bjöd in medlem
audit-member-joined = gick med i organisation
audit-member-removed = tog bort medlem
audit-member-role-changed = bytte medlems roll
audit-organisation-created = registrerade organisation
audit-organisation-updated = ändrade organisationens profil
audit-role-admin-granted = gav rollen plattformsadministratör
audit-role-admin-revoked = tog bort rollen plattformsadministratör
audit-role-coordinator-granted = gav rollen samordnare
audit-role-coordinator-revoked = tog bort rollen samordnare
audit-role-official-granted = gav rollen tjänsteperson
audit-role-official-revoked = tog bort rollen tjänsteperson
change-email-heading = Byt e-postadress
change-email-lead = Vi skickar en länk till den nya adressen och ett meddelande till den gamla. Bytet sker när du öppnat länken.
change-email-button = Byt e-postadress
field-new-email = Ny e-postadress
confirm-email-title = Bekräfta ny e-postadress
confirm-email-lead = Tryck på knappen för att ditt konto ska använda den nya adressen.
confirm-email-button = Bekräfta adressen
confirm-email-done = Klart. Ditt konto använder nu den nya adressen, och den gamla adressen har fått ett meddelande.
confirm-email-invalid = Länken fungerar inte längre: den har redan använts eller gått ut. Begär ett nytt byte från sidan Mitt konto.
notice-saved = Ändringarna är sparade.
notice-invited = Inbjudan är skickad.
notice-role-changed = Rollen är ändrad.
notice-removed = Medlemmen är borttagen.
notice-invitation-revoked = Inbjudan är tillbakadragen.
notice-last-admin = En organisation behöver minst en administratör. Gör någon annan till administratör först.
notice-approved = Ansökan är godkänd och den sökande har fått besked.
notice-declined = Ansökan är avslagen och den sökande har fått motiveringen.
notice-already-decided = Ansökan var redan avgjord eller tillbakadragen, så ingenting ändrades.
notice-applied = Ansökan är skickad. Du får besked med e-post när en samordnare har beslutat.
notice-withdrawn = Anslutningen är tillbakadragen.
notice-email-requested = Vi har skickat en länk till den nya adressen. Öppna den för att slutföra bytet.
notice-official-added = Tjänstepersonen är tillagd.
notice-official-removed = Tjänstepersonen är borttagen.
notice-role-granted = Rollen är given.
notice-role-revoked = Rollen är borttagen.
notice-own-admin = Du kan inte ta bort din egen roll som plattformsadministratör. Be en annan administratör.
field-join-party-invalid = Välj någon av dem du får ansöka för.
field-join-accept-missing = För att ansluta måste ni förbinda er till principerna: kryssa i rutan.
field-join-already = Den här parten har redan ansökt eller är redan ansluten.
field-decision-missing = Välj om ansökan ska godkännas eller avslås.
field-decline-reason-missing = Skriv varför ansökan avslås; den sökande får läsa motiveringen.
field-reason-too-long = Skriv motiveringen med högst 2 000 tecken.
field-member-role-invalid = Välj roll: medlem eller administratör.
field-body-kind-missing = Välj vilket slags organ det är.
field-body-parent-self = Ett organ kan inte arbeta åt sig självt.
field-official-no-account = Ingen har ett bekräftat konto med den adressen. Be personen registrera sig först.
field-admin-role-invalid = Välj en roll i listan.
field-email-same = Det är redan din adress.
privacy-roles = Roller: samordnare, tjänsteperson i stadens organ, plattformsadministratör
privacy-roles-why = För att rätt personer ska kunna sköta överenskommelsen, registren och rapporterna.
privacy-applications = Ansökningar om anslutning; som aktiv medborgare ditt namn i den offentliga listan över parter
privacy-applications-why = Anslutningen är en offentlig förbindelse till överenskommelsen, och parterna visas öppet.
privacy-applications-long = Så länge överenskommelsen finns; raderar du kontot visas du som borttagen person.
privacy-invitations = Inbjudningar till organisationer: den inbjudnas e-postadress
privacy-invitations-why = För att skicka inbjudan och visa administratörerna vem som är inbjuden.
privacy-invitations-long = Tills organisationen tas bort; länken slutar gälla efter sju dagar.
privacy-audit = Logg över roller, beslut om anslutning och raderade konton: vem och när
privacy-audit-why = För att administratörerna ska kunna se vem som gav vilken behörighet och vem som beslutade.
privacy-audit-long = Så länge plattformen finns; raderar du kontot står du som borttagen person.
org-districts-hint = Stadsdelarna hör till kommunen ovan; välj bara sådana som finns där.

## Refusals (app::Message codes, keyed err-CODE), worded for pages
err-accession-closed = Avtalet tar emot ansökningar bara medan det är antaget och gäller.
err-stale-activity = Aktiviteten har ändrats av någon annan under tiden.
err-admin-action-unknown = Åtgärden ska vara att ge eller ta bort en roll.
err-application-decided = Ansökan är redan avgjord eller återkallad.
err-application-declined = Ansökan är redan avslagen eller återkallad.
err-body-not-json = Innehållet ska vara JSON i rätt form.
err-conflict-duplicate = Det finns redan en post med samma nyckel.
err-conflict-reference = En post som hänvisas till finns inte, eller så hänvisar något annat fortfarande till den.
err-contribution-closed = Rapporten är inlämnad och tar inte emot fler bidrag.
err-decision-unknown = Besluta genom att godta eller avslå.
err-demo-data-invalid = Demonstrationsdatan går inte att läsa in.
err-email-taken-meanwhile = Adressen har under tiden fått ett eget konto.
err-filter-form = Samverkansformen ”{ $value }” finns inte. Lämna fältet tomt eller välj en i listan.
err-filter-not-a-choice = Filtret { $name }=”{ $value }” är inte ett av valen på sidan.
err-filter-status = Statusen ”{ $value }” finns inte. Lämna fältet tomt eller välj en i listan.
err-filter-unknown = { $name ->
    [body] Nämnden
   *[organisation] Organisationen
} ”{ $value }” finns inte. Lämna fältet tomt eller välj en i listan.
err-filter-year = Året ”{ $value }” går inte att tolka. Skriv fyra siffror, till exempel 2022.
err-form-unreadable = Formuläret gick inte att läsa. Skicka det igen.
err-import-kind-unknown = Importen ska gälla aktiviteter eller uppföljningar.
err-import-organisation-stale = Någon ändrade organisationen på rad { $line } (”{ $title }”) under importen. Inget sparades; kontrollera filen igen.
err-import-record-stale = Någon ändrade posten på rad { $line } (”{ $title }”) under importen. Inget sparades; kontrollera filen igen.
err-invitation-used = Inbjudan är redan använd, återkallad eller för gammal.
err-last-admin = En organisation behöver minst en administratör. Gör någon annan till administratör först.
err-no-municipality = Plattformen har ännu ingen kommun att registrera organisationer i.
err-organisation-stale = Någon annan sparade profilen efter att du öppnade den.
err-own-admin = Du kan inte ta bort din egen roll som plattformsadministratör. Be en annan administratör.
err-param-choice = Parametern ”{ $name }” ska vara en av: { $choices }. Du angav ”{ $value }”.
err-param-empty = Parametern ”{ $name }” är tom. Ange ett värde eller ta bort parametern.
err-param-party = Parametern ”party” ska vara organisation:<slug> eller city_body:<slug>.
err-param-range = Parametern ”{ $name }” ska vara ett heltal från { $min } till { $max }. Du angav ”{ $value }”.
err-param-slug = Parametern ”{ $name }” ska vara en kortadress (a–z, 0–9 och enstaka bindestreck). Du angav ”{ $value }”.
err-param-year = Parametern ”{ $name }” ska vara ett år med fyra siffror, från 2000 till 2100. Du angav ”{ $value }”.
err-plan-stale = Planen har ändrats av någon annan under tiden.
err-principle-unknown = ”{ $value }” är inte en princip i det här avtalet.
err-proposal-decided = Förslaget är redan avgjort.
err-proposal-unnamed = Ange vilket förslag det gäller.
err-query-malformed = Frågedelen av adressen går inte att tolka.
err-unversioned-record-form = Formuläret saknar version. Öppna posten igen.
err-stale-record = Någon ändrade posten efter att du öppnade den.
err-answered-remark = Anmärkningen är redan besvarad.
err-remark-unnamed = Ange vilken anmärkning du svarar på.
err-report-approve-not-submitted = Bara en inlämnad rapport kan godkännas.
err-report-correct-not-published = Bara en publicerad rapport kan rättas.
err-report-handed-in = Rapporten är inlämnad. Öppna den igen innan du ändrar den.
err-report-moved = Rapporten har inte längre status { $status ->
    [draft] utkast
    [submitted] inlämnad
    [approved] godkänd
    [published] publicerad
   *[other] { $status }
}; någon annan kan ha flyttat den.
err-report-not-started = Rapporten är inte påbörjad.
err-report-publish-not-approved = Bara en godkänd rapport kan publiceras. För in nämndens beslut först.
err-report-stale = Någon sparade rapporten efter att du öppnade den.
err-report-submit-not-draft = Bara ett utkast kan lämnas in. Skriv och spara rapporten först.
err-reports-not-open = Rapporterna för { $year } är inte öppna än. Samordnarna öppnar dem genom att sätta ett sista datum.

## Claiming an organisation that has no members
claim-heading = Förvaltar du den här organisationen?
claim-lead = Ingen förvaltar organisationen här ännu. Den som har ett konto kan be om att bli dess administratör: en länk går då till organisationens egen adress, { $mailbox }, och den som läser den skickar länken vidare till dig om du ska få förvalta organisationen.
claim-button = Be om att få förvalta organisationen
claim-sign-in = Logga in för att be om att få förvalta organisationen
claim-no-mailbox = Ingen förvaltar organisationen här ännu, och den har ingen egen adress att skicka en länk till. Kontakta plattformens administratör.
notice-claim-sent = Länken har skickats till organisationens adress. Be den som läser adressen att skicka den vidare till dig, och öppna den när du är inloggad.
claim-title = Förvalta organisationen
claim-confirm-lead = Bekräfta att du blir administratör för { $name }. Du kan sedan bjuda in fler.
claim-confirm = Bli administratör
claim-other-account = Länken skickades för ett annat konto. Den som bad om att få förvalta organisationen öppnar den inloggad.
err-organisation-has-members = Organisationen har redan administratörer. Be någon av dem att bjuda in dig.
err-organisation-no-mailbox = Organisationen har ingen egen adress att skicka länken till. Kontakta plattformens administratör.
audit-organisation-claim-requested = bad om att få förvalta organisationen
audit-organisation-claimed = blev organisationens första administratör
