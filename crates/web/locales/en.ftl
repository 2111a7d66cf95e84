# English. The same keys as sv.ftl (a test compares them).

site-name = Samverkan
skip-to-content = Skip to content
switch-language = På svenska
nav-agreement-label = The agreement
nav-footer-label = About this site
nav-text = The text
nav-principles = Principles
nav-challenges = Challenges
nav-plans = Plans
nav-decisions = Decisions
nav-contact = Contact
footer-all-agreements = All agreements
footer-city-bodies = Committees and administrations
footer-open-data = Open data
footer-accessibility = Accessibility statement
footer-about = Samverkan is the platform on which a municipality and its idea-based sector run their collaboration agreement – open to everyone, without an account.
none = Not given

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
period-open = from { $start }

agreement-status-draft = Draft
agreement-status-consultation = In consultation
agreement-status-adopted = Adopted
agreement-status-wound_down = Wound down
agreement-status-superseded = Superseded
agreement-status-explain-draft = The agreement is a draft that has not yet been sent out for comments.
agreement-status-explain-consultation = The draft is out for consultation: organisations and administrations can comment on it.
agreement-status-explain-adopted = The agreement is adopted and in force. The parties work by it and its action plan.
agreement-status-explain-wound_down = The agreement has been wound down in its former shape. Its text, decisions and history remain here as public records.
agreement-status-explain-superseded = The agreement has been replaced by a new one. Its text and history remain here.
status-since = since { $date }
successor-link = Go to the agreement that replaces this one

version-status-draft = Draft
version-status-consultation = In consultation
version-status-adopted = Adopted
version-status-superseded = Superseded

body-kind-municipal_council = Municipal council
body-kind-executive_board = Executive board
body-kind-committee = Committee
body-kind-administration = Administration

role-kind-project_lead = Project lead
role-kind-coordinator = Coordination
role-kind-process_support = Process support
role-kind-working_group = Working group
role-kind-challenge_host = Host of a challenge
side-city = The municipality's side
side-sector = Idea-based sector
side-joint = Joint

vision-heading = Vision
read-agreement = Read the whole agreement
recent-decisions = Latest decisions
all-decisions = All { $count } decisions on the timeline
more-heading = More about the agreement
other-agreements = { $count ->
    [one] The platform holds one more agreement.
   *[other] The platform holds { $count } more agreements.
}
empty-start-text = There is no agreement here yet. When a municipality adds its agreement, it will show here.

agreements-title = All agreements
agreements-lead = Agreements between municipalities and the idea-based sector on this platform, and where each stands in its life cycle.
agreements-none = There are no agreements yet.

text-title = The text of the agreement
toc-heading = Contents
version-number = version { $number }
not-current-version = This is not the version in force.
go-current-version = Show the version in force.
no-text-yet = No text has been published yet.
link-to-section = Link to the section { $heading }

versions-title = Versions and changes
versions-lead = Every version of the text, from draft to adopted agreement. Choose two versions to see what changed.
version-col-number = No.
version-col-label = Version
version-col-status = Status
version-col-date = Published
version-col-decision = Decision
current-badge = In force
compare-title = Compare versions
compare-from = From version
compare-to = To version
compare-button = Show differences
compare-between-from = From: { $label }.
compare-between-to = To: { $label }.
compare-changed = { $count ->
    [one] one paragraph changed
   *[other] { $count } paragraphs changed
}
compare-added = { $count ->
    [one] one paragraph added
   *[other] { $count } paragraphs added
}
compare-removed = { $count ->
    [one] one paragraph removed
   *[other] { $count } paragraphs removed
}
compare-legend = How to read the comparison:
compare-legend-ins = added text
compare-legend-del = removed text
change-added = New
change-removed = Removed
change-changed = Changed
heading-was = The heading used to be: { $heading }
back-to-versions = Back to the versions

decisions-title = Decisions
decisions-lead = The decisions that shaped the agreement, latest first.
decisions-none = No decisions are recorded.
decided-by = Decided by
reference = Reference number
reference-missing = Not in the register
minutes = Minutes
minutes-link = Read the minutes

principles-title = Principles
principles-lead = The principles that guide the collaboration. Activities, collaborations and reports are followed up against them.
commitments-title = How we work
commitments-lead = The ways of working that both sides have agreed to follow.

challenges-title = Prioritised societal challenges
challenges-lead = The societal challenges the parties have chosen to collaborate on.
challenges-none = No challenges have been prioritised yet.
in-plans = { $count ->
    [one] Part of one action plan
   *[other] Part of { $count } action plans
}
challenge-plans = Action plans that prioritise this challenge
challenge-no-plans = No action plan prioritises this challenge yet.
challenge-activities-later = The action plan's activities and how far they have come will show here once they are entered on the platform.

plans-title = Action plans
plans-lead = The action plans (collaboration plans) for each period and the decisions behind them.
plans-none = No action plan has been decided yet.
plan-period = Period
plan-extended = Extended to
plan-decision = Decision
plan-challenges = Prioritised challenges

contact-title = Organisation and contact
contact-lead = Who holds which role in the work on the agreement now, and who held it before. Write to the functional mailboxes; they are read even when people change.
roles-none = No roles are recorded.
role-now = Held now by
role-vacant = Nobody holds this role at the moment.
role-mailbox = E-mail
role-before = Before

bodies-title = Committees and administrations
bodies-lead = The municipalities' bodies: council, executive board, committees and the administrations that work for them. Each committee reports yearly on its collaboration with the idea-based sector.
bodies-caption = Bodies of { $municipality }
bodies-name = Name
bodies-kind = Kind
bodies-parent = Works for
bodies-description = Description

open-data-title = Open data
open-data-lead = Everything shown on this site is also open data: JSON for programs and CSV for spreadsheets. No account is needed.
open-data-spec-heading = Description of the interface
open-data-spec = The whole interface is described in an OpenAPI 3 document:
open-data-examples-heading = Examples
open-data-json = JSON
open-data-licence = The data may be used freely (CC0). No personal data is published beyond the names of people in public roles.

a11y-title = Accessibility statement
a11y-intro = This website is run by the municipality that is party to the agreement. We want as many people as possible to be able to use it. This page describes how the site meets the Swedish Act (2018:1937) on accessibility to digital public services, its known shortcomings and how to report problems.
a11y-status-heading = How accessible is the website?
a11y-status = The website is partially compliant with the Act on accessibility to digital public services, because of the shortcomings described below. The aim is full conformance with WCAG 2.1 level AA (EN 301 549).
a11y-shortcomings-heading = Content that is not accessible
a11y-shortcomings-intro = We know of the following shortcomings:
a11y-shortcoming-1 = Links to minutes and documents held by others may lead to PDF files that are not accessible. They are outside our review.
a11y-shortcoming-2 = The texts of the agreement are shown as they were decided and may contain long sentences and technical terms. We are working on easy-to-read summaries.
a11y-alternatives-heading = If you need the content in another way
a11y-alternatives = All content is also available as open data (JSON and CSV). Contact us if you need the content in another format, for example read aloud or in easy Swedish, and we will help you.
a11y-feedback-heading = Report accessibility problems
a11y-feedback = We keep working to improve accessibility. If you find problems not described here, or think we do not meet the requirements of the law, tell us so that we know the problem exists.
a11y-feedback-link = Write to { $mailbox }
a11y-response-time = We normally answer within five working days.
a11y-enforcement-heading = Enforcement
a11y-enforcement = The Agency for Digital Government (Digg) supervises the Act on accessibility to digital public services. If you are not satisfied with how we handle your comments, you can contact Digg and report it.
a11y-enforcement-link = Report to Digg
a11y-method-heading = How we tested the website
a11y-method = We have made a self-assessment (internal testing) of the website. Every page type is checked automatically with axe against WCAG 2.1 A and AA, in Swedish and English, in a real browser, on every change to the code. The pages work without JavaScript, with a keyboard alone and on small screens.
a11y-dates = The website was published in November 2026. The statement was last updated on 22 November 2026.

error-404-title = Page not found
error-404-text = We cannot find the page you are looking for. It may have moved, or the address may be misspelt.
error-400-title = The request could not be understood
error-400-text = The address contains a value we cannot interpret.
error-413-title = Too much data
error-413-text = What you sent is larger than this site accepts.
error-500-title = Something went wrong on our side
error-500-text = An error occurred while showing the page. It has been logged. Please try again in a while.
error-other-title = The page cannot be shown
error-other-text = The page cannot be shown right now.
error-detail = What is wrong:
error-next-heading = Where to go next
error-go-start = To the start page
error-report = Report a problem
param-whole-number = The parameter “{ $name }” must be a whole number from 1 up, for example { $name }=2.
param-required = The parameter “{ $name }” is missing, for example { $name }=1.
param-one-of = The parameter “{ $name }” must be
param-given = { " " }You gave “{ $value }”.
error-code = Error code:

login-link = Sign in
logout-button = Sign out
register-title = Create an account
register-lead = With an account you can represent your organisation, register for meetings and comment. Everything public can be read without an account.
register-button = Create account
have-account = Already have an account?
no-account = No account yet?
form-has-problems = Something needs fixing
field-display-name = Name
field-email = E-mail address
field-password = Password
password-hint = At least 12 characters. A few words in a row are easy to remember and hard to guess.
field-email-invalid = Write the e-mail address as name@example.com.
field-name-length = Write your name, at most 100 characters.
field-password-too-short = The password is too short: use at least 12 characters.
field-password-too-long = The password is too long: use at most 128 characters.
field-password-common = The password is on a list of common or leaked passwords. Choose another.
field-password-repetitive = The password repeats too few characters. Choose one that varies more.
field-password-personal = The password is too close to your e-mail address or name.
check-email-title = Check your e-mail
check-email-text = We have sent a message to { $email }. Open the link in it to confirm the address.
check-email-help = No message? Look in your spam folder. The link is valid for 48 hours.
confirm-title = Confirm e-mail address
confirm-lead = Confirm that the e-mail address is yours by pressing the button.
confirm-button = Confirm
confirm-done = Thank you! Your e-mail address is confirmed and you can sign in.
confirm-invalid = The link does not work. It may already have been used or be too old. Register again to get a new link.
login-title = Sign in
login-button = Sign in
signin-wrong = The e-mail address or the password is wrong.
signin-not-confirmed = Confirm your e-mail address first: open the link in the message we sent.
signin-throttled = Too many failed attempts. Wait a while and try again.
account-title = My account
csrf-refused = The form could not be accepted because it lacked a valid security code. Reload the page and try again.
error-403-title = The action is not allowed
error-403-text = You may not do this, or the request did not come from a form on this site.
forgot-link = Forgot your password?
forgot-title = New password
forgot-lead = Write the e-mail address of your account and we will send a link where you choose a new password.
forgot-button = Send link
forgot-sent = If there is an account for { $email }, we have sent a link there. It is valid for one hour.
reset-title = Choose a new password
reset-button = Save new password
reset-invalid = The link does not work. It may already have been used or be older than one hour. Ask for a new link.
reset-done = Your password is changed and all earlier sign-ins are ended. Sign in with the new password.
field-new-password = New password
field-current-password = Current password
field-current-password-wrong = The current password is wrong.
change-password-heading = Change password
change-password-button = Change password
password-changed = The password is changed. Your other sign-ins are ended and we have sent a confirmation by e-mail.
sessions-heading = Sign-ins
sessions-lead = Where you are signed in. End a sign-in you do not recognise, then change your password.
session-this = This browser
session-other = Another sign-in
session-signed-in = Signed in { $date }
session-revoke = End this sign-in
session-revoked = The sign-in is ended.
organisations-title = Organisations
organisations-lead = Idea-based organisations in the register: associations, foundations, faith communities, cooperatives and networks. Filter to find partners.
filter-heading = Filter
filter-challenge = Societal challenge
filter-district = City district
filter-legal-form = Legal form
filter-joined = Party to the agreement
filter-joined-yes = Yes
filter-joined-no = No
filter-any = Any
filter-sort = Sort by
sort-name = Name
sort-newest = Most recently registered
filter-button = Show
organisations-count = { $count ->
    [one] One organisation
   *[other] { $count } organisations
}
joined-badge = Party
pagination-label = Pages
page-previous = Previous page
page-next = Next page
page-of = Page { $page }
legal-form-ideell_forening = Non-profit association
legal-form-stiftelse = Foundation
legal-form-registrerat_trossamfund = Registered faith community
legal-form-ekonomisk_forening = Cooperative (economic association)
legal-form-natverk = Network without an organisation number
org-legal-form = Legal form
org-number = Organisation number
org-number-none = Has no organisation number
org-districts = Active in
org-website = Website
org-contact = Contact
org-agreements = Party to
org-not-joined = Not party to any agreement
joined-on = joined { $date }
org-challenges = Works on
org-new-title = Register an organisation
org-new-lead = Register your association, foundation, faith community, cooperative or network. You become its administrator and can invite others.
org-new-button = Register the organisation
org-new-link = Register an organisation
org-field-name = Name of the organisation
org-field-description = Description: what you do, for whom and where
org-field-contact = Contact e-mail
org-contact-hint = A functional address shown publicly, for example info@association.se. Not a private address.
org-number-hint = Ten digits, for example 802012-3454. Leave it empty if the organisation has none.
choose = Choose
field-org-name-length = Write the organisation's name, 2–200 characters.
field-org-legal-form-missing = Choose the legal form.
field-org-number-network = A network without an organisation number has no number. Choose another legal form or leave the number empty.
field-org-number-invalid = The organisation number is not valid: write ten digits, for example 802012-3454, and check the last digit against the registration certificate.
field-org-number-taken = The organisation number is already registered by { $detail }. Ask that organisation's administrator to invite you instead.
field-org-number-taken-now = The organisation number was registered a moment ago by someone else.
field-org-description-length = Describe the organisation in at most 2,000 characters.
field-org-website-invalid = Write the whole address, starting with https://.
field-org-unknown-choice = Choose among the options listed.
nav-parties = Parties
parties-title = Parties
parties-lead = The organisations that have joined the agreement and committed to work by its principles, with the date each joined.
parties-count = { $count ->
    [one] One organisation has joined
   *[other] { $count } organisations have joined
}
parties-col-name = Organisation
parties-col-joined = Joined
parties-csv = Download the list as CSV
my-data-heading = Your data
my-data-lead = You can download everything we hold about you, and delete your account.
export-button = Download my data (JSON)
delete-heading = Delete the account
delete-lead = Your personal data is removed and every sign-in ends. Public records you contributed to remain, with you shown as a removed person.
delete-password = Your password, to confirm
delete-button = Delete my account
deleted-title = The account is deleted
deleted-text = Your personal data is removed and all your sign-ins are ended.
privacy-title = Personal data
privacy-lead = How Samverkan handles personal data. Everything public on the site can be read without an account; for an account we keep only what is needed.
privacy-col-what = Data
privacy-col-why = Why
privacy-col-how-long = How long
privacy-account = E-mail address, name and password (as an argon2id hash)
privacy-account-why = So that you can sign in, receive confirmations and represent your organisation.
privacy-account-long = Until you delete the account.
privacy-sessions = Sign-ins: times and the browser's name
privacy-sessions-why = To keep you signed in and let you see and end your sign-ins.
privacy-sessions-long = At most 12 hours after signing in, less if you are inactive for 30 minutes or sign out.
privacy-failures = Failed sign-in attempts: address, network address and time
privacy-failures-why = To protect accounts against password guessing.
privacy-failures-long = Until you delete the account; only the last hour counts.
privacy-memberships = Memberships of organisations and your role there
privacy-memberships-why = So that you can represent your organisation.
privacy-cookies = Cookies: language choice, security code for forms and sign-in
privacy-cookies-why = Necessary for the site to work. No tracking cookies are used.
privacy-cookies-long = The language choice for a year; the others until the browser closes.
privacy-rights-heading = Your rights
privacy-rights = You can download your data and delete your account at any time from the My account page. Contact us to correct anything you cannot change yourself or with questions about the processing.
my-organisations = My organisations
my-organisations-none = You do not represent an organisation yet.
member-role-admin = administrator
member-role-member = member
