//! Accessible SVG charts rendered on the server.
//!
//! Every function returns SVG markup as a `String`, meant to be embedded
//! inline in an HTML page (it is also a well-formed standalone XML document).
//! No JavaScript, and — because the site's CSP forbids inline styles — no
//! `style` attributes or `<style>` elements: only presentation attributes
//! (`fill`, `stroke`, `font-size`, `text-anchor`, …) and `class` hooks.
//!
//! Accessibility:
//! - the root is `<svg role="img" aria-labelledby="{id}-title {id}-desc">`
//!   with a `<title>` and a `<desc>`; the desc is the caller's text, or when
//!   the caller passes an empty string, a text alternative generated from all
//!   the values;
//! - every bar or segment has its value printed as text (bars, timeline
//!   labels) or in the legend (stacked bar), so colour is never the only cue;
//! - the built-in colours have at least 3:1 contrast against white for marks
//!   and 4.5:1 for text; a caller-given fill with less than 3:1 gets a dark
//!   outline so the mark's extent stays visible;
//! - the `viewBox` is 640 units wide and text is at least 14 units, so the
//!   chart scales down to a phone;
//! - no links: an image's content, links included, is hidden from screen
//!   readers, so links to what a chart shows belong in the page around it.
//!
//! The SVG has `width="100%"` and no `height`: give it `height: auto` (and
//! probably a `max-width`) in the stylesheet, e.g. `.chart { max-width: 40rem;
//! height: auto; }`.
//!
//! The few texts generated here (for an empty chart, the "today" label and
//! generated descriptions) come from the translation catalogue through
//! [`Words`], which every chart function takes first.

use std::fmt::Write as _;
use time::Date;

/// One horizontal bar of [`progress_bars`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// The text shown above the bar (user content; escaped).
    pub label: String,
    /// Per cent, 0..=100; larger values are drawn as 100.
    pub value: u8,
    /// Printed after the value, e.g. "6 aktiviteter"; may be empty.
    pub note: String,
}

/// One part of [`stacked_bar`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Shown in the legend as "label: count" (user content; escaped).
    pub label: String,
    pub count: u32,
    /// A CSS class hook such as "status-ongoing", set on the segment and its
    /// legend swatch.
    pub class: String,
    /// A hex colour such as "#1f5c99"; anything else falls back to the
    /// default bar colour.
    pub fill: String,
}

/// One row of [`timeline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    /// The row's label; shown truncated to about 40 characters, in full in
    /// the row's `<title>`.
    pub label: String,
    pub start: Date,
    pub end: Date,
    /// A hex colour for the bar; anything else falls back to the default.
    pub fill: String,
    /// Printed after the label, e.g. "Pågående"; may be empty.
    pub status_label: String,
    /// `(date, title, reached)`: drawn as a filled diamond when reached, an
    /// outlined one when not.
    pub milestones: Vec<(Date, String, bool)>,
}

/// The texts the charts generate themselves, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// Shown in an empty chart: "Inga data" / "No data".
    pub no_data: String,
    /// The label of the today line: "I dag" / "Today".
    pub today: String,
    /// Starts a stacked bar's generated desc: "Totalt" / "Total".
    pub total: String,
    /// A reached milestone: "uppnådd" / "reached".
    pub reached: String,
    /// A milestone not yet reached: "ej uppnådd" / "not reached".
    pub not_reached: String,
    /// Introduces a row's milestones: "milstolpar" / "milestones".
    pub milestones: String,
    /// Between two dates: "till" / "to".
    pub until: String,
    /// Starts a timeline's generated desc: "Tidslinje från" / "Timeline from".
    pub timeline_from: String,
}

impl Words {
    /// The texts from the catalogue of `t`'s language (keys `chart-*`).
    pub fn new(t: &crate::Tr) -> Words {
        Words {
            no_data: t.get("chart-no-data").into_owned(),
            today: t.get("chart-today").into_owned(),
            total: t.get("chart-total").into_owned(),
            reached: t.get("chart-reached").into_owned(),
            not_reached: t.get("chart-not-reached").into_owned(),
            milestones: t.get("chart-milestones").into_owned(),
            until: t.get("chart-until").into_owned(),
            timeline_from: t.get("chart-timeline-from").into_owned(),
        }
    }
}

// ---------------------------------------------------------------------------
// Texts and colours.

/// Separates a note from what precedes it (a plain space at the start of a
/// `<tspan>` may be collapsed away; the tspan's `dx` adds a gap for
/// renderers that drop even this one).
const NBSP: char = '\u{a0}';

/// Text: 17:1 on white.
const TEXT: &str = "#1a1a1a";
/// Secondary text (notes, status): 8.5:1 on white.
const TEXT_MUTED: &str = "#4d4d4d";
/// The default bar colour: 6.9:1 on white, 5.6:1 on the track.
const BAR: &str = "#1f5c99";
/// The 100 % track; its outline is [`OUTLINE`].
const TRACK: &str = "#e8e8e8";
/// Track outlines and year ticks: 4.5:1 on white.
const OUTLINE: &str = "#767676";
/// Year grid lines (decorative; the ticks and labels carry the meaning).
const GRID: &str = "#d6d6d6";
/// The "today" line: 6.6:1 on white, also dashed and labelled.
const TODAY_LINE: &str = "#b3261e";

/// The viewBox width.
const WIDTH: f64 = 640.0;
/// Padding around the drawing.
const PAD: f64 = 8.0;

// ---------------------------------------------------------------------------
// Public API.

/// Escapes text for XML/HTML content and attribute values: `&`, `<`, `>`,
/// `"` and `'`. Control characters that XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    if !text
        .chars()
        .any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || c.is_control())
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Horizontal progress bars, one row per [`Bar`]: the label above, a light
/// track standing for 100 %, the bar, and the value ("45 %") followed by the
/// note beside it. The height grows with the number of bars; each row's
/// `<title>` has its label, value and note in full.
///
/// `desc` is the text alternative; when empty, one is generated listing every
/// label and value. With no bars the chart says "Inga data" (`words.no_data`).
pub fn progress_bars(words: &Words, id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    const ROW: f64 = 68.0;
    const LABEL_SIZE: f64 = 18.0;
    const NOTE_SIZE: f64 = 16.0;
    const BAR_OFFSET: f64 = 28.0;
    const BAR_HEIGHT: f64 = 22.0;
    const TRACK_WIDTH: f64 = 360.0;
    const LABEL_CHARS: usize = 56;
    const NOTE_CHARS: usize = 22;

    if bars.is_empty() {
        return empty_chart(words, id, "chart-progress", title, desc);
    }

    let desc = desc_or(desc, || {
        bars.iter().map(bar_summary).collect::<Vec<_>>().join(". ") + "."
    });
    let height = PAD * 2.0 + ROW * bars.len() as f64 - (ROW - BAR_OFFSET - BAR_HEIGHT);
    let mut svg = open_svg(id, "chart-progress", title, &desc, height);

    for (i, bar) in bars.iter().enumerate() {
        let value = bar.value.min(100);
        let top = PAD + ROW * i as f64;
        let bar_y = top + BAR_OFFSET;

        open_row(&mut svg, "chart-row", &bar_summary(bar));
        open_text(
            &mut svg,
            "chart-label",
            (PAD, top + LABEL_SIZE),
            LABEL_SIZE,
            &truncate(&bar.label, LABEL_CHARS),
        );
        svg.push_str("</text>");
        // The track (100 %) and the bar.
        write_track(&mut svg, PAD, bar_y, TRACK_WIDTH, BAR_HEIGHT);
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{BAR}"/>"#,
            num(PAD),
            num(bar_y),
            num(TRACK_WIDTH * f64::from(value) / 100.0),
            num(BAR_HEIGHT)
        );
        // The value and the note.
        open_text(
            &mut svg,
            "chart-value",
            (PAD + TRACK_WIDTH + 12.0, bar_y + BAR_HEIGHT / 2.0 + 6.0),
            LABEL_SIZE,
            &format!("{value} %"),
        );
        if !bar.note.trim().is_empty() {
            write_note(
                &mut svg,
                6,
                Some(NOTE_SIZE),
                &truncate(bar.note.trim(), NOTE_CHARS),
            );
        }
        svg.push_str("</text></g>");
    }
    svg.push_str("</svg>");
    svg
}

/// One horizontal bar split into segments proportional to their counts
/// (segments counting zero are left out of the bar), with a legend below
/// listing every segment as a swatch and "label: count". When every count is
/// zero, the empty track and the legend are still drawn.
///
/// `desc` is the text alternative; when empty, one is generated with the
/// total and every label and count. With no segments the chart says
/// "Inga data" (`words.no_data`).
pub fn stacked_bar(
    words: &Words,
    id: &str,
    title: &str,
    desc: &str,
    segments: &[Segment],
) -> String {
    const BAR_HEIGHT: f64 = 36.0;
    const LEGEND_ROW: f64 = 30.0;
    const SWATCH: f64 = 18.0;
    const FONT: f64 = 16.0;
    const LABEL_CHARS: usize = 56;

    if segments.is_empty() {
        return empty_chart(words, id, "chart-stacked", title, desc);
    }

    let total: u64 = segments.iter().map(|s| u64::from(s.count)).sum();
    let desc = desc_or(desc, || {
        let parts: Vec<String> = segments
            .iter()
            .map(|s| format!("{}: {}", s.label.trim(), s.count))
            .collect();
        format!("{} {total}: {}.", words.total, parts.join(", "))
    });
    let legend_top = PAD + BAR_HEIGHT + 16.0;
    let height = legend_top + LEGEND_ROW * segments.len() as f64 - (LEGEND_ROW - SWATCH) + PAD;
    let mut svg = open_svg(id, "chart-stacked", title, &desc, height);

    let bar_width = WIDTH - 2.0 * PAD;
    write_track(&mut svg, PAD, PAD, bar_width, BAR_HEIGHT);

    if total > 0 {
        // Positions from cumulative sums, so the segments meet exactly and
        // the last one ends at the end of the track.
        let mut cumulative: u64 = 0;
        let mut x = PAD;
        for segment in segments.iter().filter(|s| s.count > 0) {
            cumulative += u64::from(segment.count);
            let end = round2(PAD + bar_width * cumulative as f64 / total as f64);
            let fill = colour_or_default(&segment.fill);
            let per_cent = 100.0 * f64::from(segment.count) / total as f64;
            let _ = write!(
                svg,
                r#"<rect class="segment {}" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"><title>{}: {} ({} %)</title></rect>"#,
                escape(&segment.class),
                num(x),
                num(PAD),
                num(end - x),
                num(BAR_HEIGHT),
                fill,
                // A white seam between segments; a dark edge for pale fills.
                if low_contrast(fill) { TEXT } else { "#ffffff" },
                escape(segment.label.trim()),
                segment.count,
                num(per_cent.round())
            );
            x = end;
        }
    }

    svg.push_str(r#"<g class="chart-legend">"#);
    for (i, segment) in segments.iter().enumerate() {
        let y = legend_top + LEGEND_ROW * i as f64;
        let fill = colour_or_default(&segment.fill);
        let _ = write!(
            svg,
            r#"<rect class="swatch {}" x="{}" y="{}" width="{SWATCH}" height="{SWATCH}" fill="{}"{}/>"#,
            escape(&segment.class),
            num(PAD),
            num(y),
            fill,
            outline_if_pale(fill)
        );
        open_text(
            &mut svg,
            "chart-legend-label",
            (PAD + SWATCH + 8.0, y + SWATCH / 2.0 + 5.5),
            FONT,
            &format!(
                "{}: {}",
                truncate(segment.label.trim(), LABEL_CHARS),
                segment.count
            ),
        );
        svg.push_str("</text>");
    }
    svg.push_str("</g></svg>");
    svg
}

/// A Gantt-like timeline over `axis` (first and last day): year ticks with
/// year labels along the top, one row per item in the order given, each with
/// its label (long labels truncated to about 40 characters with "…", the
/// full text in the row's `<title>`) and status, a bar from start to end
/// clipped to the axis, and the milestones as diamonds (filled when reached,
/// outlined when not), each with its own `<title>`. When `today` falls
/// within the axis, a dashed vertical line labelled "I dag"
/// (`words.today`) marks it.
///
/// `desc` is the text alternative; when empty, one is generated with every
/// row's dates, status and milestones. With no rows the chart says
/// "Inga data" (`words.no_data`).
pub fn timeline(
    words: &Words,
    id: &str,
    title: &str,
    desc: &str,
    axis: (Date, Date),
    rows: &[TimelineRow],
    today: Option<Date>,
) -> String {
    if rows.is_empty() {
        return empty_chart(words, id, "chart-timeline", title, desc);
    }
    let scale = TimelineScale::new(axis);
    let today = today.filter(|d| (scale.start..=scale.end).contains(d));
    let desc = desc_or(desc, || {
        timeline_desc(words, scale.start, scale.end, rows, today)
    });
    let rows_bottom = TL_AXIS_TOP + TL_ROW * rows.len() as f64;
    let height = rows_bottom + 28.0;
    let mut svg = open_svg(id, "chart-timeline", title, &desc, height);
    timeline_axis(&mut svg, &scale, rows_bottom);
    // The today line goes under the rows, so it never hides their text.
    if let Some(today) = today {
        timeline_today(&mut svg, words, &scale, today, rows_bottom);
    }
    for (i, row) in rows.iter().enumerate() {
        timeline_row(
            &mut svg,
            words,
            &scale,
            TL_AXIS_TOP + TL_ROW * i as f64,
            row,
        );
    }
    svg.push_str("</svg>");
    svg
}

const TL_AXIS_TOP: f64 = 32.0;
const TL_ROW: f64 = 52.0;
const TL_FONT: f64 = 16.0;
const TL_BAR_OFFSET: f64 = 24.0;
const TL_BAR_HEIGHT: f64 = 16.0;
const TL_DIAMOND: f64 = 9.0;
const TL_LABEL_CHARS: usize = 40;
const TL_STATUS_CHARS: usize = 24;
/// Year labels are at least this far apart.
const TL_MIN_LABEL_GAP: f64 = 48.0;

/// Where a date falls on a timeline: the axis runs from the start of its
/// first day to the end of its last.
struct TimelineScale {
    start: Date,
    end: Date,
    left: f64,
    right: f64,
    days: f64,
}

impl TimelineScale {
    fn new(axis: (Date, Date)) -> TimelineScale {
        let (start, end) = in_order(axis.0, axis.1);
        TimelineScale {
            start,
            end,
            left: PAD + 4.0,
            right: WIDTH - PAD - 4.0,
            days: ((end - start).whole_days() + 1) as f64,
        }
    }

    fn x_of(&self, date: Date) -> f64 {
        let offset = (date - self.start).whole_days() as f64;
        round2(self.left + (self.right - self.left) * offset.clamp(0.0, self.days) / self.days)
    }
}

/// Year ticks: a grid line, a tick mark and (spaced out) a label at each
/// 1 January inside the axis, and a label for the partial first year.
fn timeline_axis(svg: &mut String, scale: &TimelineScale, rows_bottom: f64) {
    let (left, right) = (scale.left, scale.right);
    svg.push_str(r#"<g class="timeline-axis">"#);
    let first_year = scale.start.year();
    let last_year = scale.end.year();
    let year_width = (right - left) * 365.25 / scale.days;
    let step = (TL_MIN_LABEL_GAP / year_width).ceil().max(1.0) as i32;
    // The partial first year is labelled only when its label has room.
    let first_tick = Date::from_calendar_date(first_year + 1, time::Month::January, 1)
        .ok()
        .filter(|d| *d <= scale.end)
        .map_or(right, |d| scale.x_of(d));
    let partial = scale.start.month() != time::Month::January || scale.start.day() != 1;
    let mut last_label_x = f64::NEG_INFINITY;
    for year in first_year..=last_year {
        let tick = Date::from_calendar_date(year, time::Month::January, 1).ok();
        let x = match tick {
            Some(d) if d > scale.start => scale.x_of(d),
            _ => left,
        };
        if x > left {
            let _ = write!(
                svg,
                r#"<line class="grid" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{GRID}" stroke-width="1"/><line class="tick" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{OUTLINE}" stroke-width="2"/>"#,
                num(TL_AXIS_TOP),
                num(rows_bottom),
                num(TL_AXIS_TOP - 8.0),
                num(TL_AXIS_TOP),
                x = num(x),
            );
        }
        let labelled = if x == left && partial {
            first_tick - left >= TL_MIN_LABEL_GAP
        } else {
            (year - first_year) % step == 0
        };
        if labelled && x - last_label_x >= TL_MIN_LABEL_GAP && x + 4.0 + 40.0 <= WIDTH {
            let at = (x + 4.0, TL_AXIS_TOP - 12.0);
            open_text(svg, "year", at, TL_FONT, &year.to_string());
            svg.push_str("</text>");
            last_label_x = x;
        }
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{OUTLINE}" stroke-width="1"/>"#,
        num(left),
        num(TL_AXIS_TOP),
        num(right),
        num(TL_AXIS_TOP)
    );
    svg.push_str("</g>");
}

/// The dashed vertical line labelled "I dag" at `today`.
fn timeline_today(
    svg: &mut String,
    words: &Words,
    scale: &TimelineScale,
    today: Date,
    rows_bottom: f64,
) {
    let x = scale.x_of(today);
    let anchor = if x < scale.left + 30.0 {
        "start"
    } else if x > scale.right - 30.0 {
        "end"
    } else {
        "middle"
    };
    let _ = write!(
        svg,
        r#"<g class="today"><title>{}: {today}</title><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{TODAY_LINE}" stroke-width="2" stroke-dasharray="6 4"/><text x="{x}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{TEXT}">{}</text></g>"#,
        escape(&words.today),
        num(TL_AXIS_TOP - 8.0),
        num(rows_bottom + 4.0),
        num(rows_bottom + 22.0),
        num(TL_FONT),
        escape(&words.today),
        x = num(x),
    );
}

/// One row at `top`: its label and status, its bar and its milestones.
fn timeline_row(
    svg: &mut String,
    words: &Words,
    scale: &TimelineScale,
    top: f64,
    row: &TimelineRow,
) {
    open_row(svg, "timeline-row", &row_summary(words, row));
    open_text(
        svg,
        "chart-label",
        (scale.left, top + TL_FONT + 2.0),
        TL_FONT,
        &truncate(row.label.trim(), TL_LABEL_CHARS),
    );
    if !row.status_label.trim().is_empty() {
        let status = truncate(row.status_label.trim(), TL_STATUS_CHARS);
        write_note(svg, 4, None, &format!("·{NBSP}{status}"));
    }
    svg.push_str("</text>");
    let bar_y = top + TL_BAR_OFFSET;
    timeline_bar(svg, scale, bar_y, row);
    let centre = bar_y + TL_BAR_HEIGHT / 2.0;
    for (date, name, reached) in &row.milestones {
        if (scale.start..=scale.end).contains(date) {
            milestone(
                svg,
                words,
                scale.x_of(*date),
                centre,
                (*date, name, *reached),
            );
        }
    }
    svg.push_str("</g>");
}

/// A row's bar, clipped to the axis; nothing when wholly outside it.
fn timeline_bar(svg: &mut String, scale: &TimelineScale, bar_y: f64, row: &TimelineRow) {
    let (start, end) = in_order(row.start, row.end);
    if end < scale.start || start > scale.end {
        return;
    }
    let x1 = scale.x_of(start);
    // The end date is included: the bar runs to the end of that day.
    let x2 = scale
        .x_of(end.next_day().unwrap_or(end))
        .max(x1 + 2.0)
        .min(scale.right);
    let x1 = x1.min(x2 - 2.0);
    let fill = colour_or_default(&row.fill);
    let _ = write!(
        svg,
        r#"<rect class="timeline-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"{}/>"#,
        num(x1),
        num(bar_y),
        num(x2 - x1),
        num(TL_BAR_HEIGHT),
        fill,
        outline_if_pale(fill)
    );
}

/// A milestone's diamond centred at (`x`, `centre`): filled when reached,
/// outlined when not, with its own `<title>`.
fn milestone(
    svg: &mut String,
    words: &Words,
    x: f64,
    centre: f64,
    (date, name, reached): (Date, &str, bool),
) {
    let (fill, stroke, class) = if reached {
        (TEXT, "#ffffff", "milestone milestone-reached")
    } else {
        ("#ffffff", TEXT, "milestone milestone-pending")
    };
    let _ = write!(
        svg,
        r#"<path class="{class}" d="M{} {}L{} {}L{} {}L{} {}Z" fill="{fill}" stroke="{stroke}" stroke-width="2"><title>{}</title></path>"#,
        num(x),
        num(centre - TL_DIAMOND),
        num(x + TL_DIAMOND),
        num(centre),
        num(x),
        num(centre + TL_DIAMOND),
        num(x - TL_DIAMOND),
        num(centre),
        escape(&milestone_summary(words, date, name, reached))
    );
}

// ---------------------------------------------------------------------------
// Helpers.

/// The opening `<svg>` with its title and desc.
fn open_svg(id: &str, class: &str, title: &str, desc: &str, height: f64) -> String {
    let id = clean_id(id);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(WIDTH),
        num(height.ceil()),
        escape(title.trim()),
        escape(desc.trim())
    )
}

/// A chart with nothing to draw: says so in the desc (unless the caller's
/// desc does) and as visible text.
fn empty_chart(words: &Words, id: &str, class: &str, title: &str, desc: &str) -> String {
    let desc = desc_or(desc, || format!("{}.", words.no_data));
    let mut svg = open_svg(id, &format!("{class} chart-empty"), title, &desc, 48.0);
    let _ = write!(
        svg,
        r#"<text class="chart-empty-text" x="{}" y="30" font-size="18" fill="{TEXT}">{}</text></svg>"#,
        num(PAD),
        escape(&words.no_data)
    );
    svg
}

/// The caller's desc, or when it is blank, the generated one.
fn desc_or(desc: &str, generate: impl FnOnce() -> String) -> String {
    if desc.trim().is_empty() {
        generate()
    } else {
        desc.to_owned()
    }
}

/// An id usable in `id` and `aria-labelledby`: ASCII letters, digits, `-`
/// and `_`; anything else becomes `-`.
fn clean_id(id: &str) -> String {
    let cleaned: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "chart".to_owned()
    } else {
        cleaned
    }
}

/// A row of a chart: opens its group, whose `<title>` has the row's
/// summary in full. The caller closes it with `</g>`.
fn open_row(svg: &mut String, class: &str, summary: &str) {
    let _ = write!(
        svg,
        r#"<g class="{class}"><title>{}</title>"#,
        escape(summary)
    );
}

/// Opens a `<text>` in the text colour at `(x, y)` with `text` (escaped) in
/// it. The caller may add a [`write_note`] and closes it with `</text>`.
fn open_text(svg: &mut String, class: &str, (x, y): (f64, f64), size: f64, text: &str) {
    let _ = write!(
        svg,
        r#"<text class="{class}" x="{}" y="{}" font-size="{}" fill="{TEXT}">{}"#,
        num(x),
        num(y),
        num(size),
        escape(text)
    );
}

/// A note in muted text inside a `<text>`, after what precedes it: a
/// `<tspan>` shifted by `dx`, starting with a no-break space, in the given
/// font size or else the text's own.
fn write_note(svg: &mut String, dx: u8, size: Option<f64>, note: &str) {
    let _ = write!(svg, r#"<tspan class="chart-note" dx="{dx}""#);
    if let Some(size) = size {
        let _ = write!(svg, r#" font-size="{}""#, num(size));
    }
    let _ = write!(
        svg,
        r#" fill="{TEXT_MUTED}">{NBSP}{}</tspan>"#,
        escape(note)
    );
}

/// The light track standing for 100 %, outlined.
fn write_track(svg: &mut String, x: f64, y: f64, width: f64, height: f64) {
    let _ = write!(
        svg,
        r#"<rect class="track" x="{}" y="{}" width="{}" height="{}" fill="{TRACK}" stroke="{OUTLINE}" stroke-width="1"/>"#,
        num(x),
        num(y),
        num(width),
        num(height)
    );
}

/// Two dates, the earlier first.
fn in_order(a: Date, b: Date) -> (Date, Date) {
    if a <= b { (a, b) } else { (b, a) }
}

/// At most `max` characters, the last one "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// A number for an attribute: at most two decimals, no trailing zeros.
fn num(value: f64) -> String {
    // Whole hundredths as an integer: float formatting with a precision is
    // by far the most expensive part of drawing a chart.
    let hundredths = (value * 100.0).round() as i64;
    let (sign, abs) = if hundredths < 0 {
        ("-", -hundredths)
    } else {
        ("", hundredths)
    };
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 if abs == 0 => "0".to_owned(),
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The colour if it is a hex colour (`#rgb` or `#rrggbb`), else the default.
fn colour_or_default(fill: &str) -> &str {
    let fill = fill.trim();
    if luminance(fill).is_some() { fill } else { BAR }
}

/// The WCAG relative luminance of `#rgb` or `#rrggbb`.
fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |text: &str| -> Option<f64> {
        let value = u8::from_str_radix(text, 16).ok()?;
        let value = if text.len() == 1 { value * 17 } else { value };
        let s = f64::from(value) / 255.0;
        Some(if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        })
    };
    let (r, g, b) = match hex.len() {
        3 => (
            channel(&hex[0..1])?,
            channel(&hex[1..2])?,
            channel(&hex[2..3])?,
        ),
        6 => (
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        ),
        _ => return None,
    };
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

/// The WCAG contrast ratio of two colours; 1.0 when either is not a hex
/// colour.
fn contrast(a: &str, b: &str) -> f64 {
    match (luminance(a), luminance(b)) {
        (Some(a), Some(b)) => (a.max(b) + 0.05) / (a.min(b) + 0.05),
        _ => 1.0,
    }
}

/// Whether a mark in this colour has less than 3:1 contrast against white.
fn low_contrast(fill: &str) -> bool {
    contrast(fill, "#ffffff") < 3.0
}

/// A dark outline for a pale mark, so its extent stays visible.
fn outline_if_pale(fill: &str) -> String {
    if low_contrast(fill) {
        format!(r#" stroke="{TEXT}" stroke-width="1""#)
    } else {
        String::new()
    }
}

/// "Label: 45 %, 6 aktiviteter"
fn bar_summary(bar: &Bar) -> String {
    let mut text = format!("{}: {} %", bar.label.trim(), bar.value.min(100));
    if !bar.note.trim().is_empty() {
        text.push_str(", ");
        text.push_str(bar.note.trim());
    }
    text
}

/// "Label, Pågående: 2024-03-01 till 2025-06-30"
fn row_summary(words: &Words, row: &TimelineRow) -> String {
    let (start, end) = in_order(row.start, row.end);
    let mut text = row.label.trim().to_owned();
    if !row.status_label.trim().is_empty() {
        text.push_str(", ");
        text.push_str(row.status_label.trim());
    }
    let _ = write!(text, ": {start} {} {end}", words.until);
    text
}

/// "Title, 2024-06-01, uppnådd"
fn milestone_summary(words: &Words, date: Date, name: &str, reached: bool) -> String {
    format!(
        "{}, {date}, {}",
        name.trim(),
        if reached {
            &words.reached
        } else {
            &words.not_reached
        }
    )
}

/// The generated text alternative of a timeline.
fn timeline_desc(
    words: &Words,
    start: Date,
    end: Date,
    rows: &[TimelineRow],
    today: Option<Date>,
) -> String {
    let mut text = format!("{} {start} {} {end}.", words.timeline_from, words.until);
    if let Some(today) = today {
        let _ = write!(text, " {}: {today}.", words.today);
    }
    for row in rows {
        let _ = write!(text, " {}", row_summary(words, row));
        if !row.milestones.is_empty() {
            let milestones: Vec<String> = row
                .milestones
                .iter()
                .map(|(date, name, reached)| milestone_summary(words, *date, name, *reached))
                .collect();
            let _ = write!(text, "; {}: {}", words.milestones, milestones.join("; "));
        }
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// The Swedish texts, from the catalogue.
    fn sv() -> Words {
        Words::new(&crate::Tr::new(crate::Lang::Sv))
    }

    /// Checks that the markup is well formed: tags balance, attribute values
    /// are quoted, and every `&` starts a known entity. Returns the first
    /// problem.
    fn check_xml(xml: &str) -> Result<(), String> {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = xml;
        let check_text = |text: &str| -> Result<(), String> {
            if text.contains(['<', '>']) {
                return Err(format!("raw '<' or '>' in {text:?}"));
            }
            let mut parts = text.split('&');
            parts.next();
            for part in parts {
                let entity = part.split(';').next().unwrap_or("");
                let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
                    || entity
                        .strip_prefix('#')
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                if !known || !part.contains(';') {
                    return Err(format!("bad entity in {text:?}"));
                }
            }
            Ok(())
        };
        while let Some(open) = rest.find('<') {
            check_text(&rest[..open])?;
            let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim();
                match stack.pop() {
                    Some(top) if top == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ':') {
                return Err(format!("bad tag name in <{tag}>"));
            }
            // Attributes: name="value" pairs, values free of < and raw ".
            let mut attrs = body[name_end..].trim();
            while !attrs.is_empty() {
                let eq = attrs
                    .find("=\"")
                    .ok_or(format!("unquoted attribute in <{tag}>"))?;
                let attr_name = &attrs[..eq];
                if attr_name.is_empty()
                    || !attr_name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
                {
                    return Err(format!("bad attribute name {attr_name:?} in <{tag}>"));
                }
                let value_end = attrs[eq + 2..]
                    .find('"')
                    .ok_or(format!("unterminated value in <{tag}>"))?
                    + eq
                    + 2;
                check_text(&attrs[eq + 2..value_end])?;
                attrs = attrs[value_end + 1..].trim_start();
            }
            if !self_closing {
                stack.push(name.to_owned());
            }
        }
        check_text(rest)?;
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("unclosed {stack:?}"))
        }
    }

    /// Every start tag (`<name ...>`) of the given name, without the brackets.
    fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
        let open = format!("<{name} ");
        let mut found = Vec::new();
        let mut rest = xml;
        while let Some(at) = rest.find(&open) {
            let end = rest[at..].find('>').unwrap() + at;
            found.push(&rest[at + 1..end]);
            rest = &rest[end..];
        }
        found
    }

    fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        let end = tag[at..].find('"')? + at;
        Some(&tag[at..end])
    }

    fn attr_f64(tag: &str, name: &str) -> f64 {
        attr(tag, name)
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
            .parse()
            .unwrap()
    }

    fn with_class<'a>(xml: &'a str, element: &str, class: &str) -> Vec<&'a str> {
        tags(xml, element)
            .into_iter()
            .filter(|t| attr(t, "class").is_some_and(|c| c.split(' ').any(|part| part == class)))
            .collect()
    }

    /// The text between `<tag ...>` and `</tag>`, for the first such element.
    fn inner<'a>(xml: &'a str, element: &str) -> &'a str {
        let start = xml.find(&format!("<{element}")).unwrap();
        let start = xml[start..].find('>').unwrap() + start + 1;
        let end = xml[start..].find(&format!("</{element}>")).unwrap() + start;
        &xml[start..end]
    }

    fn bar(label: &str, value: u8) -> Bar {
        Bar {
            label: label.into(),
            value,
            note: String::new(),
        }
    }

    fn segment(label: &str, count: u32, fill: &str) -> Segment {
        Segment {
            label: label.into(),
            count,
            class: format!("status-{}", label.to_lowercase()),
            fill: fill.into(),
        }
    }

    fn row(label: &str, start: Date, end: Date) -> TimelineRow {
        TimelineRow {
            label: label.into(),
            start,
            end,
            fill: "#1f5c99".into(),
            status_label: "Pågående".into(),
            milestones: Vec::new(),
        }
    }

    /// The whole of 2024, an axis most timeline tests use.
    const YEAR_2024: (Date, Date) = (date!(2024 - 01 - 01), date!(2024 - 12 - 31));

    /// Progress bars with a generated desc.
    fn bars_svg(bars: &[Bar]) -> String {
        progress_bars(&sv(), "p", "T", "", bars)
    }

    /// A stacked bar with a generated desc.
    fn stacked_svg(segments: &[Segment]) -> String {
        stacked_bar(&sv(), "s", "T", "", segments)
    }

    /// A timeline with a generated desc.
    fn timeline_svg(axis: (Date, Date), rows: &[TimelineRow], today: Option<Date>) -> String {
        timeline(&sv(), "t", "T", "", axis, rows, today)
    }

    /// The shown text of the first label, up to its first child element.
    fn label_text(svg: &str) -> &str {
        let label = &svg[svg.find(r#"class="chart-label""#).unwrap()..];
        let start = label.find('>').unwrap() + 1;
        &label[start..start + label[start..].find('<').unwrap()]
    }

    /// One chart of each kind, with and without data, and with odd text.
    fn samples() -> Vec<String> {
        let evil = r#"<script>alert("x")</script> & 'q'"#;
        let mut odd = bar(evil, 45);
        odd.note = evil.into();
        let mut timeline_row = row(evil, date!(2023 - 06 - 01), date!(2025 - 03 - 01));
        timeline_row.milestones = vec![
            (date!(2024 - 05 - 01), evil.into(), true),
            (date!(2025 - 01 - 01), "Klart".into(), false),
        ];
        vec![
            progress_bars(&sv(), "p", evil, "", &[odd, bar("B", 100), bar("C", 0)]),
            progress_bars(&sv(), "p-empty", "Tom", "", &[]),
            stacked_bar(
                &sv(),
                "s",
                "Status",
                "",
                &[segment(evil, 3, "#1f5c99"), segment("Klar", 1, "#eeeeee")],
            ),
            stacked_bar(&sv(), "s-zero", "Status", "", &[segment("A", 0, "#1f5c99")]),
            stacked_bar(&sv(), "s-empty", "Status", "", &[]),
            timeline(
                &sv(),
                "t",
                "Planer",
                "",
                (date!(2024 - 01 - 01), date!(2026 - 12 - 31)),
                &[
                    timeline_row,
                    row("Kort", date!(2024 - 02 - 01), date!(2024 - 02 - 01)),
                ],
                Some(date!(2025 - 06 - 15)),
            ),
            timeline(
                &sv(),
                "t-empty",
                "Planer",
                "",
                (date!(2024 - 01 - 01), date!(2026 - 12 - 31)),
                &[],
                None,
            ),
        ]
    }

    #[test]
    fn every_chart_is_well_formed() {
        for svg in samples() {
            check_xml(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        }
    }

    #[test]
    fn the_checker_catches_broken_markup() {
        assert!(check_xml("<svg><g></svg>").is_err());
        assert!(check_xml("<svg>a & b</svg>").is_err());
        assert!(check_xml(r#"<svg a="<"></svg>"#).is_err());
        assert!(check_xml("<svg><script>x</script></svg>").is_ok());
    }

    #[test]
    fn every_chart_is_an_image_named_by_its_title_and_desc() {
        for svg in samples() {
            let root = tags(&svg, "svg")[0];
            assert_eq!(attr(root, "role"), Some("img"), "{svg}");
            assert_eq!(attr(root, "focusable"), Some("false"));
            assert_eq!(attr(root, "width"), Some("100%"));
            assert!(attr(root, "viewBox").unwrap().starts_with("0 0 640 "));
            let ids: Vec<&str> = attr(root, "aria-labelledby").unwrap().split(' ').collect();
            assert_eq!(ids.len(), 2);
            assert!(
                svg.contains(&format!(r#"<title id="{}">"#, ids[0])),
                "{svg}"
            );
            assert!(svg.contains(&format!(r#"<desc id="{}">"#, ids[1])), "{svg}");
            assert!(ids[0].ends_with("-title") && ids[1].ends_with("-desc"));
            assert!(!inner(&svg, "desc").trim().is_empty());
            // Screen readers cannot reach links inside an image.
            assert!(tags(&svg, "a").is_empty(), "{svg}");
        }
    }

    #[test]
    fn no_inline_styles() {
        for svg in samples() {
            assert!(!svg.contains("style"), "{svg}");
            assert!(!svg.contains("<script"), "{svg}");
        }
    }

    #[test]
    fn fonts_are_readable_when_scaled() {
        for svg in samples() {
            for size in svg.split("font-size=\"").skip(1) {
                let size: f64 = size.split('"').next().unwrap().parse().unwrap();
                assert!(size >= 14.0, "{size}");
            }
        }
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "ab".to_owned() + "c\nd");
        assert_eq!(escape("Åtgärd – ök"), "Åtgärd – ök");
    }

    #[test]
    fn user_text_is_escaped_everywhere() {
        for svg in samples() {
            assert!(!svg.contains("<script>"), "{svg}");
            assert!(!svg.contains(r#""x""#), "{svg}");
        }
        let svg = &samples()[0];
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)"), "{svg}");
        assert!(svg.contains("&#39;q&#39;"), "{svg}");
        // The generated desc carries the escaped label too.
        assert!(inner(svg, "desc").contains("&lt;script&gt;"));
    }

    #[test]
    fn ids_cannot_break_out_of_attributes() {
        let svg = progress_bars(&sv(), r#"a" onload="x"#, "T", "D", &[bar("A", 1)]);
        check_xml(&svg).unwrap();
        assert!(svg.contains(r#"aria-labelledby="a--onload--x-title a--onload--x-desc""#));
        assert!(!svg.contains("onload=\""));
    }

    #[test]
    fn progress_bars_are_proportional_to_the_track() {
        let svg = bars_svg(&[bar("Half", 50), bar("Full", 100), bar("None", 0)]);
        let tracks = with_class(&svg, "rect", "track");
        let bars = with_class(&svg, "rect", "bar");
        assert_eq!((tracks.len(), bars.len()), (3, 3));
        let track = attr_f64(tracks[0], "width");
        assert_eq!(attr_f64(bars[0], "width"), track / 2.0);
        assert_eq!(attr_f64(bars[1], "width"), track);
        assert_eq!(attr_f64(bars[2], "width"), 0.0);
        assert_eq!(attr_f64(bars[0], "x"), attr_f64(tracks[0], "x"));
        // Over 100 is drawn as 100.
        let svg = bars_svg(&[bar("Over", 250)]);
        let b = with_class(&svg, "rect", "bar")[0];
        assert_eq!(attr_f64(b, "width"), track);
        assert!(svg.contains(">100 %"));
    }

    #[test]
    fn progress_bars_print_value_and_note() {
        let mut b = bar("Mål", 45);
        b.note = "6 aktiviteter".into();
        let svg = bars_svg(&[b, bar("Annat", 7)]);
        assert!(svg.contains(">45 %<tspan"), "{svg}");
        assert!(svg.contains(">\u{a0}6 aktiviteter</tspan>"), "{svg}");
        assert!(svg.contains(">7 %</text>"), "{svg}");
        assert_eq!(inner(&svg, "desc"), "Mål: 45 %, 6 aktiviteter. Annat: 7 %.");
        // The caller's desc wins.
        let svg = progress_bars(&sv(), "p", "T", "Egen text", &[bar("Mål", 45)]);
        assert_eq!(inner(&svg, "desc"), "Egen text");
    }

    #[test]
    fn progress_bars_grow_with_the_number_of_bars() {
        let height = |n: usize| -> f64 {
            let bars: Vec<Bar> = (0..n).map(|i| bar(&i.to_string(), 10)).collect();
            let svg = bars_svg(&bars);
            let root = tags(&svg, "svg")[0];
            attr(root, "viewBox")
                .unwrap()
                .split(' ')
                .nth(3)
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(height(1) < height(2));
        assert_eq!(height(3) - height(2), height(2) - height(1));
    }

    #[test]
    fn long_labels_are_truncated_with_the_full_text_in_a_title() {
        let long = "Ett mycket långt namn på en åtgärd som inte får plats på en rad i diagrammet";
        let svg = bars_svg(&[bar(long, 10)]);
        assert!(svg.contains(&format!("<title>{long}: 10 %</title>")));
        let cut = |label: &str, max: usize| label.ends_with('…') && label.chars().count() <= max;
        assert!(cut(label_text(&svg), 56), "{svg}");

        let svg = timeline_svg(
            YEAR_2024,
            &[row(long, date!(2024 - 01 - 01), date!(2024 - 06 - 01))],
            None,
        );
        assert!(svg.contains(&format!(
            "<title>{long}, Pågående: 2024-01-01 till 2024-06-01</title>"
        )));
        assert!(cut(label_text(&svg), 40), "{svg}");
    }

    #[test]
    fn english_words_are_english() {
        let words = Words::new(&crate::Tr::new(crate::Lang::En));
        assert_eq!(words.today, "Today");
        assert_eq!(words.no_data, "No data");
        let svg = progress_bars(&words, "p", "T", "", &[]);
        assert!(svg.contains(">No data</text>"), "{svg}");
    }

    #[test]
    fn empty_inputs_say_no_data() {
        for svg in [
            bars_svg(&[]),
            stacked_svg(&[]),
            timeline_svg(YEAR_2024, &[], Some(date!(2024 - 06 - 01))),
        ] {
            check_xml(&svg).unwrap();
            assert!(inner(&svg, "desc").contains("Inga data"), "{svg}");
            assert!(svg.contains(">Inga data</text>"), "{svg}");
            assert!(!svg.contains("<rect"), "{svg}");
        }
    }

    #[test]
    fn stacked_segments_are_proportional_and_fill_the_track() {
        let svg = stacked_svg(&[
            segment("A", 1, "#1f5c99"),
            segment("Zero", 0, "#b3261e"),
            segment("B", 1, "#2e7d32"),
            segment("C", 2, "#6a1b9a"),
        ]);
        let track = with_class(&svg, "rect", "track")[0];
        let segments = with_class(&svg, "rect", "segment");
        assert_eq!(segments.len(), 3, "zero counts are left out of the bar");
        let width = attr_f64(track, "width");
        let widths: Vec<f64> = segments.iter().map(|s| attr_f64(s, "width")).collect();
        assert_eq!(widths, vec![width / 4.0, width / 4.0, width / 2.0]);
        let last = segments[2];
        assert_eq!(
            attr_f64(last, "x") + attr_f64(last, "width"),
            attr_f64(track, "x") + width
        );
        assert_eq!(attr(segments[0], "class"), Some("segment status-a"));
        assert_eq!(attr(segments[0], "fill"), Some("#1f5c99"));
        // The legend lists every segment, zero included, with a swatch.
        assert_eq!(with_class(&svg, "rect", "swatch").len(), 4);
        for text in [">A: 1<", ">Zero: 0<", ">B: 1<", ">C: 2<"] {
            assert!(svg.contains(text), "{text}");
        }
        assert_eq!(inner(&svg, "desc"), "Totalt 4: A: 1, Zero: 0, B: 1, C: 2.");
    }

    #[test]
    fn stacked_segments_of_odd_thirds_meet_exactly() {
        let svg = stacked_svg(&[
            segment("A", 1, "#1f5c99"),
            segment("B", 1, "#1f5c99"),
            segment("C", 1, "#1f5c99"),
        ]);
        let segments = with_class(&svg, "rect", "segment");
        for pair in segments.windows(2) {
            let end = attr_f64(pair[0], "x") + attr_f64(pair[0], "width");
            assert!((end - attr_f64(pair[1], "x")).abs() < 1e-9);
        }
    }

    #[test]
    fn all_zero_stacked_bar_draws_the_track_and_legend() {
        let svg = stacked_svg(&[segment("A", 0, "#1f5c99"), segment("B", 0, "#2e7d32")]);
        check_xml(&svg).unwrap();
        assert_eq!(with_class(&svg, "rect", "track").len(), 1);
        assert!(with_class(&svg, "rect", "segment").is_empty());
        assert_eq!(with_class(&svg, "rect", "swatch").len(), 2);
        assert!(svg.contains(">A: 0<") && svg.contains(">B: 0<"));
        assert!(inner(&svg, "desc").starts_with("Totalt 0"));
    }

    #[test]
    fn bad_or_pale_colours_are_handled() {
        let svg = stacked_svg(&[
            segment("A", 1, "red\" onclick=\"x"),
            segment("B", 1, "#f0f0f0"),
        ]);
        check_xml(&svg).unwrap();
        assert!(!svg.contains("onclick"));
        let swatches = with_class(&svg, "rect", "swatch");
        assert_eq!(attr(swatches[0], "fill"), Some(BAR));
        assert_eq!(attr(swatches[0], "stroke"), None);
        assert_eq!(
            attr(swatches[1], "stroke"),
            Some(TEXT),
            "pale fills get an outline"
        );
    }

    #[test]
    fn built_in_colours_have_enough_contrast() {
        let white = "#ffffff";
        assert!(contrast(TEXT, white) >= 4.5);
        assert!(contrast(TEXT_MUTED, white) >= 4.5);
        assert!(contrast(TEXT_MUTED, TRACK) >= 4.5);
        assert!(contrast(BAR, white) >= 3.0);
        assert!(contrast(BAR, TRACK) >= 3.0);
        assert!(contrast(OUTLINE, white) >= 3.0);
        assert!(contrast(TODAY_LINE, white) >= 3.0);
        assert!((contrast("#000", "#fff") - 21.0).abs() < 1e-9);
        assert_eq!(contrast("nonsense", white), 1.0);
    }

    #[test]
    fn timeline_clips_bars_to_the_axis() {
        let axis = (date!(2024 - 01 - 01), date!(2025 - 12 - 31));
        let svg = timeline_svg(
            axis,
            &[
                row("Before", date!(2023 - 06 - 01), date!(2024 - 07 - 01)),
                row("After", date!(2025 - 06 - 01), date!(2027 - 01 - 01)),
                row("Outside", date!(2020 - 01 - 01), date!(2020 - 12 - 31)),
                row("Whole", date!(2024 - 01 - 01), date!(2025 - 12 - 31)),
            ],
            None,
        );
        check_xml(&svg).unwrap();
        let axis_line = with_class(&svg, "line", "axis")[0];
        let (left, right) = (attr_f64(axis_line, "x1"), attr_f64(axis_line, "x2"));
        let bars = with_class(&svg, "rect", "timeline-bar");
        assert_eq!(bars.len(), 3, "a row wholly outside the axis has no bar");
        assert_eq!(attr_f64(bars[0], "x"), left);
        assert!(attr_f64(bars[0], "width") < (right - left) / 2.0 + 1.0);
        assert!((attr_f64(bars[1], "x") + attr_f64(bars[1], "width") - right).abs() < 0.011);
        assert_eq!(attr_f64(bars[2], "x"), left);
        assert!((attr_f64(bars[2], "x") + attr_f64(bars[2], "width") - right).abs() < 0.011);
        // Every row keeps its label, in order.
        let order: Vec<usize> = ["Before", "After", "Outside", "Whole"]
            .iter()
            .map(|l| svg.find(&format!(">{l}<")).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn timeline_has_year_ticks_and_labels() {
        let svg = timeline_svg(
            (date!(2024 - 01 - 01), date!(2026 - 12 - 31)),
            &[row("A", date!(2024 - 03 - 01), date!(2025 - 03 - 01))],
            None,
        );
        assert_eq!(
            with_class(&svg, "line", "tick").len(),
            2,
            "1 Jan 2025 and 2026"
        );
        for year in ["2024", "2025", "2026"] {
            assert!(svg.contains(&format!(">{year}</text>")), "{year}");
        }
        // A long axis thins the labels out but keeps them apart.
        let svg = timeline_svg(
            (date!(2000 - 01 - 01), date!(2049 - 12 - 31)),
            &[row("A", date!(2010 - 03 - 01), date!(2025 - 03 - 01))],
            None,
        );
        check_xml(&svg).unwrap();
        let xs: Vec<f64> = with_class(&svg, "text", "year")
            .iter()
            .map(|t| attr_f64(t, "x"))
            .collect();
        assert!(xs.len() >= 5);
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= 48.0), "{xs:?}");
        assert!(xs.iter().all(|x| x + 40.0 <= WIDTH));
    }

    #[test]
    fn today_line_only_within_the_axis() {
        let axis = YEAR_2024;
        let rows = [row("A", date!(2024 - 02 - 01), date!(2024 - 10 - 01))];
        let within = timeline_svg(axis, &rows, Some(date!(2024 - 07 - 01)));
        check_xml(&within).unwrap();
        assert_eq!(with_class(&within, "g", "today").len(), 1);
        assert!(within.contains(">I dag</text>"));
        assert!(inner(&within, "desc").contains("I dag: 2024-07-01"));
        let line = &within[within.find(r#"class="today""#).unwrap()..];
        let x = attr_f64(tags(line, "line")[0], "x1");
        let axis_line = with_class(&within, "line", "axis")[0];
        let middle = (attr_f64(axis_line, "x1") + attr_f64(axis_line, "x2")) / 2.0;
        assert!((x - middle).abs() < 5.0, "{x} vs {middle}");

        for today in [
            Some(date!(2023 - 12 - 31)),
            Some(date!(2025 - 01 - 01)),
            None,
        ] {
            let svg = timeline_svg(axis, &rows, today);
            assert!(with_class(&svg, "g", "today").is_empty(), "{today:?}");
            assert!(!svg.contains("I dag"), "{today:?}");
        }
        // The axis ends count as within.
        for today in [axis.0, axis.1] {
            let svg = timeline_svg(axis, &rows, Some(today));
            assert_eq!(with_class(&svg, "g", "today").len(), 1);
        }
    }

    #[test]
    fn milestones_are_diamonds_with_titles() {
        let mut r = row("A", date!(2024 - 02 - 01), date!(2024 - 10 - 01));
        r.milestones = vec![
            (date!(2024 - 03 - 01), "Start".into(), true),
            (date!(2024 - 09 - 01), "Slut".into(), false),
            (date!(2030 - 01 - 01), "Utanför".into(), false),
        ];
        let svg = timeline_svg(YEAR_2024, &[r], None);
        check_xml(&svg).unwrap();
        let reached = with_class(&svg, "path", "milestone-reached");
        let pending = with_class(&svg, "path", "milestone-pending");
        assert_eq!((reached.len(), pending.len()), (1, 1));
        assert_eq!(attr(reached[0], "fill"), Some(TEXT));
        assert_eq!(attr(pending[0], "fill"), Some("#ffffff"));
        assert_eq!(attr(pending[0], "stroke"), Some(TEXT));
        assert!(svg.contains("<title>Start, 2024-03-01, uppnådd</title>"));
        assert!(svg.contains("<title>Slut, 2024-09-01, ej uppnådd</title>"));
        // Off-axis milestones are not drawn but are in the desc.
        assert!(!svg.contains("<title>Utanför"));
        assert!(inner(&svg, "desc").contains("Utanför, 2030-01-01, ej uppnådd"));
        // The row's title names it in full.
        assert!(svg.contains("<title>A, Pågående: 2024-02-01 till 2024-10-01</title>"));
    }

    #[test]
    fn timeline_tolerates_reversed_dates() {
        let svg = timeline_svg(
            (date!(2024 - 12 - 31), date!(2024 - 01 - 01)),
            &[row("A", date!(2024 - 10 - 01), date!(2024 - 02 - 01))],
            Some(date!(2024 - 06 - 01)),
        );
        check_xml(&svg).unwrap();
        let bar = with_class(&svg, "rect", "timeline-bar")[0];
        assert!(attr_f64(bar, "width") > 100.0);
        assert_eq!(with_class(&svg, "g", "today").len(), 1);
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(180.0), "180");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn numbers_are_written_with_at_most_two_decimals() {
        for (value, text) in [
            (12.0, "12"),
            (12.5, "12.5"),
            (12.345, "12.35"),
            (0.05, "0.05"),
            (-3.25, "-3.25"),
            (-0.001, "0"),
            (0.0, "0"),
            (640.0, "640"),
        ] {
            assert_eq!(num(value), text, "{value}");
        }
    }
}
