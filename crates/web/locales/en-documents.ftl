# documents: files attached to decisions and action plans.

documents-heading = Documents
documents-attach-title = Attach a document
documents-attach-lead = Attach the decision's or the plan's documents, such as the minutes or the signed agreement. Everyone sees them with the decision. The file may be at most { $limit } and must be a PDF, an OpenDocument file (odt, ods, odp), a Word, Excel or PowerPoint document (docx, xlsx, pptx) or an image (PNG, JPEG, WebP, GIF).
documents-attached = Attached documents
documents-none = No documents are attached yet.
documents-new = New document
documents-attach-button = Attach
documents-attach-link = Attach a document
document-title = Title
document-title-hint = What the document is, for example Minutes of the city council 2024-05-12, § 123.
document-file = File
document-file-hint = At most { $limit }. What kind of file it is is told from its content, not its name.
notice-document-attached = The document is attached and now shows with the decision.

document-kind-pdf = PDF
document-kind-odt = OpenDocument text
document-kind-ods = OpenDocument spreadsheet
document-kind-odp = OpenDocument presentation
document-kind-docx = Word document
document-kind-xlsx = Excel workbook
document-kind-pptx = PowerPoint presentation
document-kind-png = PNG image
document-kind-jpeg = JPEG image
document-kind-webp = WebP image
document-kind-gif = GIF image

field-document-title-length = Write a title, 1 to 200 characters, for example Minutes of the city council.
field-document-file-missing = Choose the file to attach.
field-document-too-large = The file is too large: the limit is { $detail }. Make it smaller, for example by saving a scanned PDF at a lower resolution, and choose it again.
field-document-not-accepted = The file is not a PDF, an OpenDocument file, a Word, Excel or PowerPoint document or an image: it looks like { $detail }. Save it as a PDF and choose it again.
field-document-unknown = The file is not a PDF, an OpenDocument file, a Word, Excel or PowerPoint document or an image. Save it as a PDF and choose it again.
document-body-too-large = The file is too large: the limit is { $limit }. Go back, choose a smaller file and send again.
body-too-large = What you sent is too large: the limit is { $limit }.
