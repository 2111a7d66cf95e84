# documents: filer bifogade till beslut och handlingsplaner.

documents-heading = Handlingar
documents-attach-title = Bifoga en handling
documents-attach-lead = Bifoga beslutets eller planens handlingar, till exempel protokollet eller den undertecknade överenskommelsen. Handlingarna visas för alla tillsammans med beslutet. Filen får vara högst { $limit } och vara en PDF, ett OpenDocument-dokument (odt, ods, odp), ett Word-, Excel- eller PowerPoint-dokument (docx, xlsx, pptx) eller en bild (PNG, JPEG, WebP, GIF).
documents-attached = Bifogade handlingar
documents-none = Inga handlingar är bifogade än.
documents-new = Ny handling
documents-attach-button = Bifoga
documents-attach-link = Bifoga en handling
document-title = Rubrik
document-title-hint = Vad handlingen är, till exempel Kommunfullmäktiges protokoll 2024-05-12, § 123.
document-file = Fil
document-file-hint = Högst { $limit }. Vilken sorts fil det är avgörs av innehållet, inte av namnet.
notice-document-attached = Handlingen är bifogad och syns nu med beslutet.

document-kind-pdf = PDF
document-kind-odt = OpenDocument-text
document-kind-ods = OpenDocument-kalkylblad
document-kind-odp = OpenDocument-presentation
document-kind-docx = Word-dokument
document-kind-xlsx = Excel-arbetsbok
document-kind-pptx = PowerPoint-presentation
document-kind-png = PNG-bild
document-kind-jpeg = JPEG-bild
document-kind-webp = WebP-bild
document-kind-gif = GIF-bild

field-document-title-length = Skriv en rubrik, 1–200 tecken, till exempel Kommunfullmäktiges protokoll.
field-document-file-missing = Välj filen som ska bifogas.
field-document-too-large = Filen är för stor: gränsen är { $detail }. Gör den mindre, till exempel genom att spara en skannad PDF med lägre upplösning, och välj den igen.
field-document-not-accepted = Filen är inte en PDF, ett OpenDocument-dokument, ett Word-, Excel- eller PowerPoint-dokument eller en bild: den ser ut att vara { $detail }. Spara den som PDF och välj den igen.
field-document-unknown = Filen är inte en PDF, ett OpenDocument-dokument, ett Word-, Excel- eller PowerPoint-dokument eller en bild. Spara den som PDF och välj den igen.
document-body-too-large = Filen är för stor: gränsen är { $limit }. Gå tillbaka, välj en mindre fil och skicka igen.
body-too-large = Det du skickade är för stort: gränsen är { $limit }.
